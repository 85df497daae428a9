"""What an optimizer keeps to train a model: the variables `model.summary()` counts as
"Optimizer params", and adds into "Total params", once the optimizer is built (by the first
`fit`, or `optimizer.build(model.trainable_variables)`).

An `iteration` counter, a `learning_rate` (unless it is a schedule or a callable), then per
trainable weight one full-size copy per slot (Adam's `momentum` and `velocity`), named as Keras
names them (`sequential_dense_kernel_momentum`: the weight's path, `/` as `_`, then the slot),
in Keras' order. Pure: imports neither keras nor numpy.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from paramlab.core import _checks
from paramlab.core.terms import fmt

# Bits per element, Keras' table (keras.src.utils.dtype_utils): the summary's bytes are bits / 8.
DTYPE_BITS = {
    **{f"float{i}": i for i in (16, 32, 64)},
    **{f"int{i}": i for i in (8, 16, 32, 64)},
    **{f"uint{i}": i for i in (8, 16, 32, 64)},
    "bfloat16": 16,
    "bool": 1,
}


def dtype_bits(dtype: str) -> int:
    """Bits per element of a Keras dtype ('float32' -> 32), as the summary counts them."""
    if dtype not in DTYPE_BITS:
        raise ValueError(f"Invalid dtype. Expected one of {sorted(DTYPE_BITS)}. Received: {dtype=}")
    return DTYPE_BITS[dtype]


@dataclass(frozen=True)
class OptimizerVariable:
    """One variable of an optimizer, named as Keras names it. `role`: the slot (`momentum`, ...)
    or the optimizer's own counter (`iteration`, `learning_rate`); `weight`: the path of the
    weight it shadows ('' for its own); `scope`: the optimizer's name (`path` as after `fit`).
    `plain`: a `keras.Variable` kept as an attribute, not made by `add_variable` (Nadam's
    product, Adafactor's placeholders), which a `LossScaleOptimizer` does not track."""

    name: str
    shape: tuple[int, ...]
    role: str
    dtype: str = "float32"
    weight: str = ""
    scope: str = ""
    note: str = ""
    plain: bool = False

    @property
    def count(self) -> int:
        return math.prod(self.shape)

    @property
    def path(self) -> str:
        return f"{self.scope}/{self.name}" if self.scope else self.name

    def __str__(self) -> str:
        note = f"  ({self.note})" if self.note else ""
        return f"{self.path} {self.shape} {self.dtype}: {fmt(self.count)}{note}"


@dataclass(frozen=True)
class OptimizerVariables:
    """The variables an optimizer builds for a model's trainable weights, in Keras' order:
    `optimizer` is the Keras class (`Adam`), `name` the instance's (`adam`), `trainable` the
    parameters it was built for; `total` and `bytes` are the summary's "Optimizer params"."""

    optimizer: str
    name: str
    variables: tuple[OptimizerVariable, ...]
    trainable: int
    notes: tuple[str, ...] = field(default=())

    @property
    def total(self) -> int:
        return sum(v.count for v in self.variables)

    @property
    def bytes(self) -> float:
        return sum(v.count * dtype_bits(v.dtype) for v in self.variables) / 8

    @property
    def roles(self) -> dict[str, int]:
        """Parameters per role, in order of first appearance: {'momentum': 15, ...}."""
        out: dict[str, int] = {}
        for v in self.variables:
            out[v.role] = out.get(v.role, 0) + v.count
        return out

    @property
    def per_parameter(self) -> tuple[str, ...]:
        """The roles that keep one number per trainable parameter (Adam: momentum, velocity)."""
        return tuple(
            role
            for role, n in self.roles.items()
            if n == self.trainable > 0 and all(v.weight for v in self.variables if v.role == role)
        )

    @property
    def lesson(self) -> str:
        """The count as taught: `2 * 15 + 2 = 32 (momentum, velocity per trainable parameter;
        iteration, learning_rate)`; the `formula` when no role is one per parameter."""
        per = self.per_parameter
        if not per:
            return self.formula
        rest = [r for r in self.roles if r not in per]
        k, n = len(per), self.trainable
        head = f"{k} * {fmt(n)} + {fmt(self.total - k * n)} = {fmt(self.total)}"
        return f"{head} ({', '.join(per)} per trainable parameter; {', '.join(rest) or '-'})"

    @property
    def formula(self) -> str:
        """The count by role: `iteration + learning_rate + momentum + velocity = 1 + 1 + ...`."""
        roles = self.roles
        counts = " + ".join(fmt(n) for n in roles.values())
        names = f"{' + '.join(roles)} = {counts}" if len(roles) > 1 else " + ".join(roles)
        return f"{names} = {fmt(self.total)}" if roles else "0 (no variables)"

    def __getitem__(self, name: str) -> OptimizerVariable:
        for v in self.variables:
            if v.name == name:
                return v
        names = [v.name for v in self.variables]
        raise KeyError(f"{self.optimizer} has no variable {name!r}; it has {names}")

    def __str__(self) -> str:
        lines = [f"{self.optimizer} '{self.name}': {fmt(self.total)} optimizer parameters"]
        lines += [f"  {v}" for v in self.variables]
        lines.append(f"  total: {self.formula}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


# --- the optimizers -------------------------------------------------------------------------

Options = dict[str, Any]
Groups = tuple[tuple[str, ...], ...]  # slot names created together (interleaved per weight)
Check = Callable[[str, Any], Any]
_BASE_ARGUMENTS = (
    "learning_rate weight_decay clipnorm clipvalue global_clipnorm use_ema ema_momentum "
    "ema_overwrite_frequency loss_scale_factor gradient_accumulation_steps name"
)


@dataclass(frozen=True)
class _Spec:
    """One Keras optimizer: its own arguments (besides the base class's), the slot groups it
    builds, and the options that change them: name -> (Keras' default, the check)."""

    keras_class: str
    arguments: str
    groups: Callable[[Options], Groups]
    shaping: Mapping[str, tuple[Any, Check]] = field(default_factory=dict)

    @property
    def default_name(self) -> str:
        """Keras' name for an unnamed instance: the class in snake case ('rm_sprop')."""
        name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", self.keras_class)
        return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _sgd_momentum(name: str, value: Any) -> float:
    if not isinstance(value, float) or not 0 <= value <= 1:
        raise ValueError(f"`momentum` must be a float between [0, 1]. Received: {name}={value!r}")
    return value


def _real(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"The argument `{name}` must be a number. "
            f"Received: {name}={value!r} (of type {type(value).__name__})"
        )
    return float(value)


def _adam(o: Options) -> Groups:
    return (("momentum", "velocity"), *((("velocity_hat",),) if o["amsgrad"] else ()))


def _sgd(o: Options) -> Groups:
    return (("momentum",),) if o["momentum"] != 0 else ()


def _rmsprop(o: Options) -> Groups:
    more = (("momentum",),) if o["momentum"] > 0 else ()
    return (("velocity",), *more, *((("average_gradient",),) if o["centered"] else ()))


def _fixed(*names: str) -> Callable[[Options], Groups]:
    return lambda _o: (names,)


_BETAS = "beta_1 beta_2 epsilon"
_AMSGRAD = {"amsgrad": (False, _checks.flag)}
_FTRL = (
    "learning_rate_power initial_accumulator_value l1_regularization_strength "
    "l2_regularization_strength l2_shrinkage_regularization_strength beta"
)
_ADAFACTOR = "beta_2_decay epsilon_1 epsilon_2 clip_threshold relative_step"
_SPECS = {
    s.keras_class.lower(): s
    for s in (
        _Spec("Adam", f"{_BETAS} amsgrad", _adam, _AMSGRAD),
        _Spec("AdamW", f"{_BETAS} amsgrad", _adam, _AMSGRAD),
        _Spec("SGD", "momentum nesterov", _sgd, {"momentum": (0.0, _sgd_momentum)}),
        _Spec(
            "RMSprop",
            "rho momentum epsilon centered",
            _rmsprop,
            {"momentum": (0.0, _real), "centered": (False, _checks.flag)},
        ),
        _Spec("Adagrad", "initial_accumulator_value epsilon", _fixed("accumulator")),
        _Spec("Nadam", _BETAS, _fixed("momentum", "velocity")),
        _Spec("Adamax", _BETAS, _fixed("momentum", "norm")),
        _Spec("Adadelta", "rho epsilon", _fixed("accumulated_grad", "accumulated_delta_var")),
        _Spec("Ftrl", _FTRL, _fixed("accumulator", "linear")),
        _Spec("Lion", "beta_1 beta_2", _fixed("momentum")),
        _Spec("Lamb", _BETAS, _fixed("momentum", "velocity")),
        _Spec("ScheduleFreeAdamW", f"{_BETAS} warmup_steps", _fixed("momentum", "velocity")),
        _Spec("Adafactor", _ADAFACTOR, _fixed("velocity")),  # and its factors: _adafactor
    )
}
OPTIMIZERS = tuple(s.keras_class for s in _SPECS.values())
"""The Keras optimizer classes with a formula here."""

ARGUMENTS = {
    s.keras_class: (*s.arguments.split(), *_BASE_ARGUMENTS.split()) for s in _SPECS.values()
}
"""Each optimizer's constructor arguments, as Keras 3 names them."""

SHAPING = {
    s.keras_class: ("learning_rate", "use_ema", "gradient_accumulation_steps", *s.shaping)
    for s in _SPECS.values()
}
"""The arguments that change each optimizer's variables (the others change none)."""

_NO_FORMULA = {
    "muon": "which weights get Adam's `velocity` depends on their rank and on patterns in "
    "their paths (`exclude_layers`, `exclude_embeddings`)",
    "multioptimizer": "it hands each group of weights to another optimizer",
    "lossscaleoptimizer": "it wraps another optimizer: use `loss_scale_optimizer(inner)`",
}


def _spec(optimizer: Any) -> _Spec:
    key = optimizer.lower() if isinstance(optimizer, str) else ""
    if key in _SPECS:
        return _SPECS[key]
    if key in _NO_FORMULA:
        raise ValueError(f"No formula for {optimizer}: {_NO_FORMULA[key]}. Received: {optimizer=}")
    raise ValueError(
        f"Could not interpret optimizer identifier: {optimizer!r}. Expected one of: "
        f"{', '.join(OPTIMIZERS)}. Received: {optimizer=}"
    )


def _base_options(options: Options) -> tuple[bool, bool, bool]:
    """The base-class options that change the variables, checked as Keras checks them: (a
    `learning_rate` variable, an EMA `average` per weight, a `gradient_accumulator` per weight)."""
    lr = options.get("learning_rate", 0.001)  # every default is a float
    if not isinstance(lr, float) and not callable(lr):
        raise ValueError(
            "Argument `learning_rate` should be float, or an instance of LearningRateSchedule, "
            "or a callable (that takes in the current iteration value and returns the "
            f"corresponding learning rate value). Received instead: learning_rate={lr!r}"
        )
    steps = options.get("gradient_accumulation_steps")
    if steps is not None:
        _real("gradient_accumulation_steps", steps)
        if steps and not steps >= 2:
            raise ValueError(
                "`gradient_accumulation_steps` must be an integer >= 2. "
                f"Received: gradient_accumulation_steps={steps!r}"
            )
    use_ema = _checks.flag("use_ema", options.get("use_ema", False))
    return isinstance(lr, float), use_ema, bool(steps)


def _weights(weights: Any) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """(path, shape) pairs from {path: shape} or a sequence of shapes (an int is a 1-D size)."""
    if isinstance(weights, Mapping):
        items = list(weights.items())
    elif isinstance(weights, Sequence) and not isinstance(weights, str):
        items = [(f"weight_{i}", s) for i, s in enumerate(weights)]
    else:
        raise TypeError(
            "`weights` must be the trainable weights' shapes: a list of shapes, or a dict of "
            f"weight paths to shapes. Received: weights={weights!r}"
        )
    out = []
    for path, shape in items:
        dims = (shape,) if isinstance(shape, int) and not isinstance(shape, bool) else shape
        if not isinstance(path, str) or not isinstance(dims, Sequence) or isinstance(dims, str):
            raise TypeError(
                "Each weight is a path (a string) and a shape (a tuple of integers, or an integer "
                f"size). Received: {path!r}: {shape!r} (of type {type(shape).__name__})"
            )
        out.append((path, tuple(_checks.positive("shape", d) for d in dims)))
    return tuple(out)


def optimizer_variables(
    optimizer: str,
    weights: Mapping[str, Sequence[int] | int] | Sequence[Sequence[int] | int],
    *,
    dtype: str = "float32",
    int_dtype: str = "int64",
    **options: Any,
) -> OptimizerVariables:
    """The variables `keras.optimizers.<optimizer>(**options)` builds for trainable weights of
    these shapes (a dict {path: shape} names them as Keras does; bare shapes are `weight_0`,
    ...). `dtype` is the weights' dtype (their slots take it), `int_dtype` Keras' "int" on the
    backend (int64 on TensorFlow, int32 on JAX), the dtype of `iteration`. `options` are the
    optimizer's Keras arguments; those that change no variable (`beta_1`, `clipnorm`, ...) are
    accepted and left alone, the others checked as Keras checks them.
    """
    spec = _spec(optimizer)
    dtype_bits(dtype), dtype_bits(int_dtype)  # refuse an unknown dtype early
    unknown = {k: v for k, v in options.items() if k not in ARGUMENTS[spec.keras_class]}
    if unknown:
        raise ValueError(f"Argument(s) not recognized: {unknown}")
    lr_variable, use_ema, accumulate = _base_options(options)
    chosen = {k: check(k, options.get(k, d)) for k, (d, check) in spec.shaping.items()}
    name = options.get("name") or spec.default_name
    pairs = _weights(weights)

    def slot(path: str, shape: tuple[int, ...], role: str) -> OptimizerVariable:
        key = f"{path.replace('/', '_')}_{role}"
        return OptimizerVariable(key, shape, role, dtype, weight=path, scope=name)

    out = [OptimizerVariable("iteration", (), "iteration", int_dtype, scope=name)]
    notes = []
    if lr_variable:
        out.append(OptimizerVariable("learning_rate", (), "learning_rate", "float32", scope=name))
    else:
        notes.append("the learning rate is a schedule or a callable: no `learning_rate` variable")
    if use_ema:
        out += [slot(p, s, "average") for p, s in pairs]
    if accumulate:
        out += [slot(p, s, "gradient_accumulator") for p, s in pairs]
        notes.append("gradient accumulation counts its steps with `iteration`: no other counter")
    if spec.keras_class == "Adafactor":
        out += _adafactor(pairs, dtype, name, slot)
    else:
        for group in spec.groups(chosen):
            out += [slot(p, s, role) for p, s in pairs for role in group]
    if spec.keras_class == "Nadam":  # the running product of the momentum factors, unnamed
        note = "Nadam's product of momentum factors (`_u_product`); Keras leaves it unnamed"
        out.append(OptimizerVariable("variable", (), "u_product", dtype, "", name, note, True))
    trainable = sum(math.prod(s) for _, s in pairs)
    return OptimizerVariables(spec.keras_class, name, tuple(out), trainable, tuple(notes))


def _adafactor(
    pairs: tuple[tuple[str, tuple[int, ...]], ...],
    dtype: str,
    name: str,
    slot: Callable[[str, tuple[int, ...], str], OptimizerVariable],
) -> list[OptimizerVariable]:
    """Adafactor keeps factored second moments: for a weight of 2 or more axes a row factor
    `r` (all axes but the last) and a column factor `c` (all but the one before last), named
    after the weight; below 2 axes two int32 scalar placeholders. Then a `velocity` per weight."""
    out = []
    for path, shape in pairs:
        short = path.rsplit("/", 1)[-1]
        if len(shape) < 2:
            note = "a placeholder: Adafactor does not factor below 2 axes"
            out += [OptimizerVariable(short, (), r, "int32", path, name, note, True) for r in "rc"]
        else:
            for role, factor in (("r", shape[:-1]), ("c", shape[:-2] + shape[-1:])):
                out.append(OptimizerVariable(short, factor, role, dtype, path, name))
        out.append(slot(path, shape, "velocity"))
    return out


def loss_scale_optimizer(
    inner: OptimizerVariables, *, name: str = "loss_scale_optimizer", int_dtype: str = "int64"
) -> OptimizerVariables:
    """Mixed precision's `LossScaleOptimizer` around `inner` (what `compile` makes under the
    `mixed_float16` policy): its own `iteration` and `learning_rate` (always a variable, 0.0),
    a `step_counter` and the `dynamic_scale`, then the inner optimizer's variables except the
    `plain` ones, which the wrapper's build leaves untracked."""
    if not isinstance(inner, OptimizerVariables):
        raise TypeError(
            "`inner` must be the inner optimizer's variables (from `optimizer_variables`). "
            f"Received: inner={inner!r} (of type {type(inner).__name__})"
        )
    dtype_bits(int_dtype)
    own = (
        OptimizerVariable("iteration", (), "iteration", int_dtype, scope=name),
        OptimizerVariable("learning_rate", (), "learning_rate", "float32", scope=name),
        OptimizerVariable("step_counter", (), "step_counter", int_dtype, scope=name),
        OptimizerVariable("dynamic_scale", (), "dynamic_scale", "float32", scope=name),
    )
    kept = tuple(v for v in inner.variables if not v.plain)
    notes = [f"wraps {inner.optimizer} '{inner.name}', whose variables follow", *inner.notes]
    if len(kept) < len(inner.variables):
        notes.append(f"{inner.optimizer}'s plain variables are not tracked inside the wrapper")
    return OptimizerVariables("LossScaleOptimizer", name, own + kept, inner.trainable, tuple(notes))
