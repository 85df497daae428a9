"""Porting Keras weights to PyTorch, as the "Porting weights to PyTorch" section of the appendix
(notebooks/appendix_more_layers.ipynb) copies them, checked against real torch: Conv2D's kernel
`(kh, kw, C, F)` transposed into `nn.Conv2d.weight` `(F, C, kh, kw)`, Conv1D's into `nn.Conv1d`,
LSTM's gate blocks (the same order, transposed, the bias split into `bias_ih + bias_hh`) and GRU's
(z and r swapped): each torch module then gives the Keras layer's outputs, and a GRU copied
without the swap does not.

torch is not a course pin, so the appendix runs PyTorch's side as numpy functions written from
PyTorch's documented equations (its cell `cheat-port-numpy`); these tests run that cell's code,
read from the notebook, against the torch modules themselves. Neither the appendix nor the cheat
sheet (which points to it) may import torch.

torch is installed by `.ci/run` (`torch==2.13.0`, a CPU build). Without torch the torch checks
skip with the reason, except under CI=true, where they fail.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import keras
import numpy as np
import pytest
from _require import require
from keras import layers

try:
    import torch
except ImportError as exc:
    MISSING = f"torch is not installed ({exc}); install it with: pip install torch==2.13.0"
else:
    MISSING = ""

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
APPENDIX = NOTEBOOKS / "appendix_more_layers.ipynb"
CHEAT_SHEET = NOTEBOOKS / "cheat_sheet.ipynb"
NUMPY_CELL = "cheat-port-numpy"
TORCH_IMPORT = re.compile(
    r"^\s*(?:import|from)\s+torch\b|(?:__import__|import_module)\(\s*['\"]torch", re.MULTILINE
)


def code_cells(path: Path = APPENDIX) -> dict[str, str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return {c["id"]: "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"}


@pytest.fixture(scope="module")
def nn() -> ModuleType:
    require(MISSING, "the porting checks against torch")
    return torch.nn


@pytest.fixture(scope="module")
def numpy_torch() -> dict[str, Callable]:
    """The notebook's numpy stand-ins for torch (`torch_conv`, `torch_lstm`, `torch_gru`), run
    from the notebook's own cell: what the learner runs is what is checked."""
    namespace: dict = {"np": np}
    exec(code_cells()[NUMPY_CELL], namespace)
    return namespace


def random_weights(layer: layers.Layer, input_shape: tuple, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    layer.build(input_shape)
    layer.set_weights([rng.normal(0, 0.5, size=w.shape).astype("float32") for w in layer.weights])
    return layer.get_weights()


def copy_into(module, **arrays: np.ndarray) -> None:
    with torch.no_grad():
        for name, array in arrays.items():
            parameter = getattr(module, name)
            assert tuple(parameter.shape) == array.shape, name  # copy_ would broadcast silently
            parameter.copy_(torch.from_numpy(np.ascontiguousarray(array)))


def parameters(module) -> dict[str, np.ndarray]:
    return {name: p.detach().numpy() for name, p in module.named_parameters()}


def same(a, b) -> bool:
    return bool(np.allclose(np.asarray(a), np.asarray(b), atol=1e-5))


@pytest.mark.parametrize("path", [APPENDIX, CHEAT_SHEET], ids=lambda p: p.stem)
def test_the_notebook_runs_without_torch(path):
    """torch is not a course pin: no cell of the appendix or the cheat sheet imports it (nbval
    runs them where learners run them, without torch)."""
    cells = code_cells(path)
    importing = [cell_id for cell_id, text in cells.items() if TORCH_IMPORT.search(text)]
    assert importing == []


def test_the_appendix_holds_the_numpy_cell_and_names_these_tests():
    assert NUMPY_CELL in code_cells()
    assert "tests/test_porting.py" in APPENDIX.read_text(encoding="utf-8")


# --- Convolutions -------------------------------------------------------------------------------

CONVS = {  # Keras layer, torch module, input (channels last), kernel -> weight, last -> first
    "Conv2D(8, (3, 2)) on 4": (
        lambda: layers.Conv2D(8, (3, 2)),
        lambda nn: nn.Conv2d(4, 8, (3, 2)),
        (2, 10, 9, 4),
        (3, 2, 0, 1),
        (0, 3, 1, 2),
    ),
    "Conv2D(5, 3) on 3": (
        lambda: layers.Conv2D(5, 3),
        lambda nn: nn.Conv2d(3, 5, 3),
        (1, 7, 8, 3),
        (3, 2, 0, 1),
        (0, 3, 1, 2),
    ),
    "Conv1D(8, 5) on 4": (
        lambda: layers.Conv1D(8, 5),
        lambda nn: nn.Conv1d(4, 8, 5),
        (2, 20, 4),
        (2, 1, 0),
        (0, 2, 1),
    ),
}


@pytest.mark.parametrize("case", CONVS)
def test_a_keras_convolution_copied_into_torch_gives_its_outputs(nn, numpy_torch, case):
    make_layer, make_module, shape, to_weight, to_first = CONVS[case]
    layer, module = make_layer(), make_module(nn)
    kernel, bias = random_weights(layer, (None, *shape[1:]), seed=1)
    copy_into(module, weight=kernel.transpose(to_weight), bias=bias)
    assert kernel.size == module.weight.numel() and kernel.shape != tuple(module.weight.shape)
    x = np.random.default_rng(2).normal(size=shape).astype("float32")
    x_first = np.ascontiguousarray(x.transpose(to_first))
    with torch.no_grad():
        torch_out = module(torch.from_numpy(x_first)).numpy()
    back = tuple(np.argsort(to_first))  # channels first -> last
    assert same(keras.ops.convert_to_numpy(layer(x)), torch_out.transpose(back))
    ours = numpy_torch["torch_conv"](x_first, kernel.transpose(to_weight), bias)
    assert ours.shape == torch_out.shape and same(ours, torch_out)


@pytest.mark.parametrize("case", CONVS)
def test_the_notebooks_numpy_convolution_is_torchs(nn, numpy_torch, case):
    """On torch's own initial weights, not Keras': the equation stands on its own."""
    torch.manual_seed(3)
    module = CONVS[case][1](nn)
    spatial = (11, 9)[: module.weight.dim() - 2]  # Conv1d: a length; Conv2d: height and width
    x_first = np.random.default_rng(4).normal(size=(2, module.in_channels, *spatial))
    x_first = x_first.astype("float32")
    with torch.no_grad():
        torch_out = module(torch.from_numpy(x_first)).numpy()
    ours = numpy_torch["torch_conv"](x_first, **parameters(module))
    assert ours.shape == torch_out.shape and same(ours, torch_out)


# --- LSTM and GRU --------------------------------------------------------------------------------

SEQUENCE = np.random.default_rng(5).normal(size=(2, 7, 4)).astype("float32")  # (N, T, C)


def run(module, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return module(torch.from_numpy(x))[0].numpy()


def test_a_keras_lstm_copied_into_torch_gives_its_outputs(nn, numpy_torch):
    lstm = layers.LSTM(6, return_sequences=True)
    kernel, recurrent, bias = random_weights(lstm, SEQUENCE.shape, seed=6)
    second = np.random.default_rng(7).normal(size=bias.shape).astype("float32")
    weights = {  # i, f, c, o -> i, f, g, o: the same order, transposed; any split of the bias
        "weight_ih_l0": kernel.T,
        "weight_hh_l0": recurrent.T,
        "bias_ih_l0": bias - second,
        "bias_hh_l0": second,
    }
    module = nn.LSTM(4, 6, batch_first=True)
    copy_into(module, **weights)
    keras_out = keras.ops.convert_to_numpy(lstm(SEQUENCE))
    torch_out = run(module, SEQUENCE)
    assert same(keras_out, torch_out)
    assert same(numpy_torch["torch_lstm"](SEQUENCE, *weights.values()), torch_out)


def z_r_swapped(blocks: np.ndarray) -> np.ndarray:
    z, r, h = np.split(blocks, 3, axis=-1)
    return np.concatenate([r, z, h], axis=-1)


@pytest.mark.parametrize("swap", [True, False], ids=["z and r swapped", "copied as is"])
def test_a_keras_gru_needs_z_and_r_swapped(nn, numpy_torch, swap):
    gru = layers.GRU(6, reset_after=True, return_sequences=True)
    kernel, recurrent, bias = random_weights(gru, SEQUENCE.shape, seed=8)
    order = z_r_swapped if swap else (lambda blocks: blocks)
    weights = {
        "weight_ih_l0": order(kernel).T,
        "weight_hh_l0": order(recurrent).T,
        "bias_ih_l0": order(bias[0]),
        "bias_hh_l0": order(bias[1]),
    }
    module = nn.GRU(4, 6, batch_first=True)
    copy_into(module, **weights)  # every shape fits either way
    torch_out = run(module, SEQUENCE)
    assert same(keras.ops.convert_to_numpy(gru(SEQUENCE)), torch_out) is swap
    assert same(numpy_torch["torch_gru"](SEQUENCE, *weights.values()), torch_out)


@pytest.mark.parametrize("cell", ["LSTM", "GRU"])
def test_the_notebooks_numpy_recurrences_are_torchs(nn, numpy_torch, cell):
    """nn.LSTM's and nn.GRU's own initial weights, several sizes, against the numpy equations."""
    for seed, (features, units, steps) in enumerate([(4, 6, 7), (3, 9, 5), (8, 2, 12)]):
        torch.manual_seed(seed)
        module = getattr(nn, cell)(features, units, batch_first=True)
        x = np.random.default_rng(seed).normal(size=(3, steps, features)).astype("float32")
        p = parameters(module)
        ours = numpy_torch[f"torch_{cell.lower()}"](
            x, p["weight_ih_l0"], p["weight_hh_l0"], p["bias_ih_l0"], p["bias_hh_l0"]
        )
        assert ours.shape == (3, steps, units)
        assert same(ours, run(module, x))
