"""The optimizer's variables: `model.summary()`'s "Optimizer params" line, by formula, against
real Keras optimizers (their `.variables` after `build`, and the summary's text after `fit`),
and what `explain(model)` says about them."""

from __future__ import annotations

import inspect
import math
import re

import keras
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from keras import layers as L

import paramlab
from paramlab.bridge._optimizer import keras_bytes
from paramlab.core.formulas import optimizers as O
from paramlab.core.formulas.optimizers import loss_scale_optimizer, optimizer_variables

UNNAMED = re.compile(r"variable(_\d+)?")  # Keras numbers its unnamed variables


def small_model(name: str = "small") -> keras.Model:
    """Weights of rank 1 to 4 (Adafactor treats them apart) and BatchNormalization's frozen
    statistics, which get no slots."""
    return keras.Sequential(
        [
            keras.Input((6, 6, 2)),
            L.Conv2D(3, 2, name="conv"),
            L.BatchNormalization(name="bn"),
            L.PReLU(shared_axes=[1, 2], name="prelu"),
            L.GlobalAveragePooling2D(name="pool"),
            L.Dense(2, name="dense"),
        ],
        name=name,
    )


MODEL = small_model()
WEIGHTS = {w.path: tuple(w.shape) for w in MODEL.trainable_variables}


def keras_signature(optimizer) -> list[tuple[str, tuple[int, ...], str]]:
    return [
        ("variable" if UNNAMED.fullmatch(v.name) else v.name, tuple(v.shape), v.dtype)
        for v in optimizer.variables
    ]


def formula_signature(result: O.OptimizerVariables) -> list[tuple[str, tuple[int, ...], str]]:
    return [(v.name, v.shape, v.dtype) for v in result.variables]


def schedule() -> keras.optimizers.schedules.LearningRateSchedule:
    return keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.9)


CASES = [
    ("Adam", {}),
    ("Adam", {"amsgrad": True}),
    ("Adam", {"use_ema": True}),
    ("Adam", {"gradient_accumulation_steps": 3}),
    ("Adam", {"learning_rate": "schedule"}),
    ("AdamW", {"amsgrad": True, "weight_decay": 0.01}),
    ("SGD", {}),
    ("SGD", {"momentum": 0.9}),
    ("SGD", {"momentum": 0.9, "nesterov": True, "use_ema": True}),
    ("RMSprop", {}),
    ("RMSprop", {"momentum": 0.5}),
    ("RMSprop", {"centered": True}),
    ("RMSprop", {"momentum": 0.5, "centered": True}),
    ("Adagrad", {}),
    ("Nadam", {}),
    ("Nadam", {"use_ema": True, "gradient_accumulation_steps": 2}),
    ("Adamax", {}),
    ("Adadelta", {}),
    ("Ftrl", {}),
    ("Lion", {}),
    ("Lamb", {}),
    ("ScheduleFreeAdamW", {}),
    ("Adafactor", {}),
    ("Adafactor", {"use_ema": True, "learning_rate": "schedule"}),
]


def options_for(options: dict) -> dict:
    return {k: schedule() if v == "schedule" else v for k, v in options.items()}


@pytest.mark.parametrize(("name", "options"), CASES, ids=lambda v: str(v))
def test_the_formula_names_every_variable_keras_builds_in_order(name, options):
    options = options_for(options)
    optimizer = getattr(keras.optimizers, name)(**options)
    optimizer.build(MODEL.trainable_variables)
    result = optimizer_variables(name, WEIGHTS, **options, name=optimizer.name)
    assert formula_signature(result) == keras_signature(optimizer)
    pairs = zip(result.variables, optimizer.variables, strict=True)
    assert all(ours.path == theirs.path for ours, theirs in pairs if not ours.plain)
    count = sum(math.prod(v.shape) for v in optimizer.variables)
    assert result.total == count
    assert result.bytes == keras_bytes(optimizer.variables)
    assert result.trainable == sum(math.prod(s) for s in WEIGHTS.values())


@pytest.mark.parametrize("inner", ["Adam", "Nadam", "Adafactor"])
def test_loss_scale_optimizer_wraps_the_inner_formula(inner):
    optimizer = keras.optimizers.LossScaleOptimizer(getattr(keras.optimizers, inner)())
    optimizer.build(MODEL.trainable_variables)
    result = loss_scale_optimizer(optimizer_variables(inner, WEIGHTS))
    assert formula_signature(result) == keras_signature(optimizer)
    assert result.bytes == keras_bytes(optimizer.variables)


def test_each_optimizer_takes_the_arguments_keras_takes():
    for name in O.OPTIMIZERS:
        parameters = inspect.signature(getattr(keras.optimizers, name)).parameters
        assert set(O.ARGUMENTS[name]) == set(parameters) - {"kwargs"}, name
        assert set(O.SHAPING[name]) <= set(parameters), name
        keras_name = re.sub(r"_\d+$", "", getattr(keras.optimizers, name)().name)
        assert optimizer_variables(name, []).name == keras_name  # Keras' name when unnamed


SHAPES = st.lists(
    st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple), min_size=0, max_size=4
)
OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "use_ema": st.booleans(),
        "gradient_accumulation_steps": st.sampled_from([None, 2, 4]),
        "learning_rate": st.sampled_from([0.01, "schedule"]),
    },
)
SPECIFIC = {
    "Adam": {"amsgrad": st.booleans()},
    "SGD": {"momentum": st.sampled_from([0.0, 0.5, 1.0])},
    "RMSprop": {"momentum": st.sampled_from([0.0, 0.9]), "centered": st.booleans()},
}


@st.composite
def optimizer_configs(draw):
    name = draw(st.sampled_from(O.OPTIMIZERS))
    options = draw(OPTIONS)
    options |= draw(st.fixed_dictionaries({}, optional=SPECIFIC.get(name, {})))
    return name, options


@given(shapes=SHAPES, config=optimizer_configs())
def test_random_weights_and_options_match_keras(shapes, config):
    name, options = config
    options = options_for(options)
    weights = [
        keras.Variable(np.zeros(shape, "float32"), name=f"w{i}") for i, shape in enumerate(shapes)
    ]
    optimizer = getattr(keras.optimizers, name)(**options)
    optimizer.build(weights)
    result = optimizer_variables(name, {w.path: tuple(w.shape) for w in weights}, **options)
    assert formula_signature(result) == keras_signature(optimizer)
    assert result.total == sum(math.prod(v.shape) for v in optimizer.variables)
    # Bare shapes give the same counts, only the names change (`weight_0_momentum`).
    assert optimizer_variables(name, shapes, **options).total == result.total


# --- what the summary prints, after fit ----------------------------------------------------


def summary_numbers(model) -> dict[str, tuple[int, str]]:
    """{'Total': (47, '192.00 B'), 'Optimizer': (32, '132.00 B'), ...} from model.summary()."""
    printed: list[str] = []
    model.summary(print_fn=printed.append)
    found = re.findall(r"(\w[\w-]*) params: ([\d,]+) \(([\d.]+ \w+)\)", "\n".join(printed))
    return {kind: (int(n.replace(",", "")), size) for kind, n, size in found}


def dense_model(name: str) -> keras.Model:
    return keras.Sequential([keras.Input((4,)), L.Dense(3, name="dense")], name=name)


def fit_once(model: keras.Model, optimizer) -> None:
    model.compile(optimizer=optimizer, loss="mse")
    x, y = np.ones((8, 4), "float32"), np.ones((8, 3), "float32")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)


# What the course teaches: (optimizer, its options, "Optimizer params", "Total params", the
# number of variables, the lesson).
FITTED = {
    "Adam": (
        {},
        (32, "132.00 B"),
        (47, "192.00 B"),
        6,
        "2 * 15 + 2 = 32 (momentum, velocity per trainable parameter; iteration, learning_rate)",
    ),
    "SGD": (
        {"learning_rate": 0.01, "momentum": 0.9},
        (17, "72.00 B"),
        (32, "132.00 B"),
        4,
        "1 * 15 + 2 = 17 (momentum per trainable parameter; iteration, learning_rate)",
    ),
}


@pytest.mark.parametrize("name", sorted(FITTED))
def test_the_summary_after_fit_is_the_formula_plus_the_model(name):
    options, optimizer_line, total_line, n_variables, lesson = FITTED[name]
    model = dense_model("fitted")
    fit_once(model, getattr(keras.optimizers, name)(**options))
    printed = summary_numbers(model)
    assert printed["Optimizer"] == optimizer_line
    assert printed["Total"] == total_line
    assert printed["Trainable"] == (15, "60.00 B") and printed["Non-trainable"] == (0, "0.00 B")
    assert model.count_params() == 15 and len(model.optimizer.variables) == n_variables

    paths = {w.path: tuple(w.shape) for w in model.trainable_variables}
    formula = optimizer_variables(name, paths, **options)
    assert (formula.total, formula.bytes) == (optimizer_line[0], float(optimizer_line[1][:-2]))
    assert formula.lesson == lesson
    assert [v.name for v in formula.variables] == [v.name for v in model.optimizer.variables]

    report = paramlab.explain(model)
    assert (report.total, report.optimizer_params, report.summary_total) == (
        15,
        optimizer_line[0],
        total_line[0],
    )
    assert report.optimizer.explained and report.optimizer.variables.lesson == lesson
    text, page = str(report), report._repr_html_()
    line = f"Optimizer params: {optimizer_line[0]} ({optimizer_line[1]})"
    total = f"Total params in model.summary(): {total_line[0]} ({total_line[1]})"
    assert line in text and total in text and lesson in text
    assert line in page and total in page


# --- explain(model) -----------------------------------------------------------------------


def test_no_optimizer_says_nothing():
    model = dense_model("plain")
    report = paramlab.explain(model)
    assert report.optimizer is None and report.optimizer_params == 0
    assert report.summary_total == report.total
    assert "Optimizer" not in str(report) and "Optimizer" not in report._repr_html_()
    layer = L.Dense(3)
    layer.build((None, 4))
    assert paramlab.explain(layer).optimizer is None


def test_a_compiled_optimizer_not_built_yet_gets_one_line():
    model = dense_model("compiled")
    model.compile(optimizer=keras.optimizers.Adam(name="adam"), loss="mse")
    report = paramlab.explain(model)
    assert not report.optimizer.built and report.optimizer_params == 0
    assert report.summary_total == 15
    lines = [x for x in str(report).splitlines() if "Optimizer" in x]
    assert lines == [
        "Optimizer: Adam is not built yet: it creates its variables on the first fit(), "
        "and model.summary() then adds them into Total params"
    ]
    assert "Total params in model.summary()" not in str(report)


def test_an_optimizer_with_no_formula_is_counted_from_keras():
    model = dense_model("muon")
    model.compile(optimizer=keras.optimizers.Muon(), loss="mse")
    model.optimizer.build(model.trainable_variables)
    report = paramlab.explain(model)
    count = sum(math.prod(v.shape) for v in model.optimizer.variables)
    assert report.optimizer_params == count and not report.optimizer.explained
    assert report.optimizer.variables is None
    assert "no formula: no formula for Muon; its count is read from its variables" in str(report)


def test_a_subclass_that_adds_variables_is_a_mismatch():
    class Tracked(keras.optimizers.Adam):
        def build(self, variables):
            super().build(variables)
            self.extra = self.add_variable((2,), name="extra")

    model = dense_model("tracked")
    model.compile(optimizer=Tracked(), loss="mse")
    model.optimizer.build(model.trainable_variables)
    report = paramlab.explain(model)
    assert report.optimizer_params == 34 and not report.optimizer.explained
    assert (
        "the Adam formula (iteration + learning_rate + momentum + velocity = 1 + 1 + 15 + 15 = 32)"
        " does not match the 7 variables Keras built" in report.optimizer.note
    )


def test_a_plain_subclass_gets_its_parents_formula():
    class Renamed(keras.optimizers.SGD):
        pass

    model = dense_model("renamed")
    model.compile(optimizer=Renamed(momentum=0.5), loss="mse")
    model.optimizer.build(model.trainable_variables)
    report = paramlab.explain(model)
    assert report.optimizer.explained and report.optimizer_params == 17
    assert report.optimizer.class_name == "Renamed"


def test_mixed_precision_wraps_the_optimizer():
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_float16")
    try:
        model = dense_model("mixed")
        model.compile(optimizer="adam", loss="mse")
        model.optimizer.build(model.trainable_variables)
    finally:
        keras.config.set_dtype_policy(previous)
    report = paramlab.explain(model)
    assert report.optimizer.class_name == "LossScaleOptimizer" and report.optimizer.explained
    assert report.optimizer_params == 36 == 2 * 15 + 6


def test_weights_frozen_after_build_are_noted():
    model = dense_model("frozen_later")
    model.compile(optimizer="adam", loss="mse")
    model.optimizer.build(model.trainable_variables)
    model.get_layer("dense").trainable = False
    report = paramlab.explain(model)
    assert report.optimizer.explained and report.optimizer_params == 32
    assert "the optimizer was built for 15 trainable parameters, the model trains 0 now" in (
        report.optimizer.note
    )


def test_a_schedule_leaves_no_learning_rate_variable():
    result = optimizer_variables("Adam", [(4, 3), 3], learning_rate=schedule())
    assert "learning_rate" not in result.roles and result.total == 31
    assert "no `learning_rate` variable" in result.notes[0]


def test_the_result_reads_as_a_lesson():
    result = optimizer_variables(
        "Adam", {"sequential/dense/kernel": (4, 3), "sequential/dense/bias": 3}
    )
    assert (
        result["sequential_dense_kernel_momentum"].path == "adam/sequential_dense_kernel_momentum"
    )
    assert (
        result.formula == "iteration + learning_rate + momentum + velocity = 1 + 1 + 15 + 15 = 32"
    )
    assert result.per_parameter == ("momentum", "velocity") and result.bytes == 132
    assert str(result).splitlines()[0] == "Adam 'adam': 32 optimizer parameters"
    assert optimizer_variables("SGD", [(4, 3), 3]).lesson == "iteration + learning_rate = 1 + 1 = 2"
    with pytest.raises(KeyError, match="Adam has no variable 'nope'"):
        result["nope"]


# --- errors, in Keras' words --------------------------------------------------------------

# (optimizer, weights, options) -> the error, and its text.
ERRORS = {
    ("Adamm", (3,), ()): (
        ValueError,
        r"Could not interpret optimizer identifier: 'Adamm'\. Expected one of: Adam, AdamW, "
        r".*Received: optimizer='Adamm'",
    ),
    ("Muon", (3,), ()): (
        ValueError,
        r"No formula for Muon: which weights get Adam's `velocity` depends on .* "
        r"Received: optimizer='Muon'",
    ),
    ("Adam", (3,), (("momentum", 0.9),)): (
        ValueError,
        r"Argument\(s\) not recognized: \{'momentum': 0\.9\}",
    ),
    ("Adam", (3,), (("learning_rate", 1),)): (
        ValueError,
        r"Argument `learning_rate` should be float, .* Received instead: learning_rate=1",
    ),
    ("SGD", (3,), (("momentum", 1.5),)): (
        ValueError,
        r"`momentum` must be a float between \[0, 1\]\. Received: momentum=1\.5",
    ),
    ("SGD", (3,), (("momentum", 1),)): (
        ValueError,
        r"`momentum` must be a float between \[0, 1\]\. Received: momentum=1$",
    ),
    ("Adam", (3,), (("gradient_accumulation_steps", 1),)): (
        ValueError,
        r"`gradient_accumulation_steps` must be an integer >= 2\. "
        r"Received: gradient_accumulation_steps=1",
    ),
    ("Adam", (3,), (("use_ema", "yes"),)): (
        TypeError,
        r"The argument `use_ema` must be True or False\. Received: use_ema='yes'",
    ),
    ("Adam", (3,), (("amsgrad", 1),)): (
        TypeError,
        r"The argument `amsgrad` must be True or False\. Received: amsgrad=1 \(of type int\)",
    ),
    ("RMSprop", (3,), (("momentum", "high"),)): (
        TypeError,
        r"The argument `momentum` must be a number\. Received: momentum='high'",
    ),
    ("Adam", "kernel", ()): (
        TypeError,
        r"`weights` must be the trainable weights' shapes: .* Received: weights='kernel'",
    ),
    ("Adam", ((4, 0),), ()): (
        ValueError,
        r"Expected a strictly positive integer\. Received: shape=0",
    ),
    ("Adam", (("kernel", "4x3"),), ()): (
        TypeError,
        r"Each weight is a path \(a string\) and a shape .* Received: 'kernel': '4x3'",
    ),
    ("Adam", (3,), (("dtype", "float8"),)): (
        ValueError,
        r"Invalid dtype\. Expected one of .* Received: dtype='float8'",
    ),
}


@pytest.mark.parametrize("case", list(ERRORS), ids=str)
def test_errors_are_pinned(case):
    name, weights, options = case
    if weights and isinstance(weights[0], tuple) and isinstance(weights[0][0], str):
        weights = dict(weights)  # {path: shape}
    error, match = ERRORS[case]
    with pytest.raises(error, match=match):
        optimizer_variables(name, weights, **dict(options))


def test_loss_scale_wants_the_inner_formula():
    with pytest.raises(TypeError, match=r"`inner` must be .* Received: inner='adam'"):
        loss_scale_optimizer("adam")


# The values Keras refuses as well (a flag given as 1 or "yes" Keras takes as true; the formulas
# refuse it, as every formula of the package does).
KERAS_REFUSES = [
    (name, options)
    for (name, _, options), (error, _) in ERRORS.items()
    if name in ("Adam", "SGD") and options and options[0][0] != "dtype" and error is ValueError
]


@pytest.mark.parametrize("case", KERAS_REFUSES, ids=str)
def test_keras_refuses_what_the_formula_refuses(case):
    name, options = case
    with pytest.raises(ValueError):
        getattr(keras.optimizers, name)(**dict(options))
