"""Notebook 08's PyTorch attention facts against real `torch.nn.MultiheadAttention`.

The notebook does not import torch (learners do not have it): it states the parameters PyTorch's
documentation lists, `in_proj_weight (3 * embed_dim, embed_dim)`, `in_proj_bias`, `out_proj.weight`
and `out_proj.bias`, counts them, and ports a Keras `MultiHeadAttention`'s weights into that
layout (each kernel reshaped to `(d, d)` and transposed, query, key and value stacked). Here:
the shapes and counts it printed are torch's own; the same shapes and counts hold over a grid of
widths, heads and biases, each equal to the Keras layer's count; the port, done as the notebook
does it, makes torch compute what Keras computes (with and without the causal mask); and the
packed layout holds only when queries, keys and values share the width, as the notebook says.

torch is not a course pin (`.ci/run` installs torch==2.13.0, a CPU build): without it these
tests skip with the reason, except under CI=true, where they fail.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from _require import require

try:
    import torch
    from torch import nn
except ImportError as exc:
    MISSING = f"torch is not installed ({exc}); install it with: pip install torch==2.13.0"
else:
    MISSING = ""
require(MISSING, "the PyTorch attention checks")

import keras  # noqa: E402  (after the skip: only these tests need both)
from keras import layers  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "08_transformer_block.ipynb"
HEADER = re.compile(r"^nn\.MultiheadAttention\(embed_dim=(\d+), num_heads=(\d+)\)$")
PARAMETER = re.compile(r"^\s+([\w.]+)\s+(\([\d, ]*\))\s+([\d,]+)$")
PORTED = re.compile(r"^([\w.]+)\s+(\([\d, ]*\))$")
TOTALS = re.compile(r"^PyTorch ([\d,]+) \| Keras MultiHeadAttention\((\d+), (\d+)\) ([\d,]+)$")


def documented(d: int, *, bias: bool = True) -> dict[str, tuple[int, ...]]:
    """The parameters the notebook states for nn.MultiheadAttention(d, h), in torch's order."""
    shapes = {"in_proj_weight": (3 * d, d)}
    if bias:
        shapes["in_proj_bias"] = (3 * d,)
    shapes["out_proj.weight"] = (d, d)
    if bias:
        shapes["out_proj.bias"] = (d,)
    return shapes


def torch_shapes(module: nn.Module) -> dict[str, tuple[int, ...]]:
    return {name: tuple(p.shape) for name, p in module.named_parameters()}


def keras_attention(heads: int, key_dim: int, width: int, *, bias: bool = True):
    layer = layers.MultiHeadAttention(heads, key_dim, use_bias=bias)
    x = keras.Input(shape=(5, width))
    layer(x, x)
    return layer


def printed_lines() -> list[str]:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    lines = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                lines += "".join(output["text"]).splitlines()
    return lines


def shape_of(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text))


def test_the_shapes_and_counts_notebook_08_prints_are_torchs():
    lines = printed_lines()
    (start,) = [i for i, line in enumerate(lines) if HEADER.match(line)]
    d, h = (int(n) for n in HEADER.match(lines[start]).groups())
    stated = {}
    for line in lines[start + 1 :]:
        if not (m := PARAMETER.match(line)):
            break
        stated[m[1]] = shape_of(m[2])
        assert int(m[3].replace(",", "")) == math.prod(stated[m[1]]), line
    module = nn.MultiheadAttention(d, h)
    assert stated == torch_shapes(module)
    (totals,) = [m for line in lines if (m := TOTALS.match(line))]
    torch_total = sum(p.numel() for p in module.parameters())
    assert int(totals[1].replace(",", "")) == torch_total
    heads, key_dim = int(totals[2]), int(totals[3])
    assert heads * key_dim == d and heads == h
    assert int(totals[4].replace(",", "")) == keras_attention(h, key_dim, d).count_params()
    assert torch_total == keras_attention(h, key_dim, d).count_params()
    # the port cell: the arrays it made from Keras' weights have torch's shapes, name by name
    ported = {m[1]: shape_of(m[2]) for line in lines if (m := PORTED.match(line))}
    assert ported == torch_shapes(module)


@pytest.mark.parametrize("d,h", [(8, 1), (8, 2), (12, 3), (64, 8), (128, 4), (96, 12)])
@pytest.mark.parametrize("bias", [True, False])
def test_documented_shapes_and_keras_count_over_a_grid(d, h, bias):
    module = nn.MultiheadAttention(d, h, bias=bias)
    assert torch_shapes(module) == documented(d, bias=bias)
    count = sum(p.numel() for p in module.parameters())
    assert count == 4 * d * d + (4 * d if bias else 0)
    assert count == keras_attention(h, d // h, d, bias=bias).count_params()


def port(attention) -> dict[str, np.ndarray]:
    """Keras' weights in torch's layout, exactly as notebook 08's port cell makes them."""
    d = attention.weights[-1].shape[-1]  # the output bias (d,) or kernel (heads, key_dim, d)
    weights = {w.path.split("/", 1)[1]: keras.ops.convert_to_numpy(w) for w in attention.weights}
    qkv = ("query", "key", "value")
    out = {
        "in_proj_weight": np.concatenate([weights[f"{p}/kernel"].reshape(d, -1).T for p in qkv]),
        "out_proj.weight": weights["attention_output/kernel"].reshape(-1, d).T,
    }
    if attention.use_bias:
        out["in_proj_bias"] = np.concatenate([weights[f"{p}/bias"].reshape(-1) for p in qkv])
        out["out_proj.bias"] = weights["attention_output/bias"]
    return out


@pytest.mark.parametrize("d,h", [(16, 4), (12, 3), (8, 1)])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("causal", [False, True])
def test_the_port_makes_torch_compute_what_keras_computes(d, h, bias, causal):
    rng = np.random.default_rng(d * 10 + h)
    attention = keras_attention(h, d // h, d, bias=bias)
    attention.set_weights([rng.normal(size=w.shape).astype("float32") for w in attention.weights])
    x = rng.normal(size=(2, 6, d)).astype("float32")
    expected = keras.ops.convert_to_numpy(attention(x, x, use_causal_mask=causal))

    module = nn.MultiheadAttention(d, h, bias=bias, batch_first=True)
    ported = port(attention)
    assert {k: v.shape for k, v in ported.items()} == torch_shapes(module)
    with torch.no_grad():
        for name, parameter in module.named_parameters():
            parameter.copy_(torch.from_numpy(np.ascontiguousarray(ported[name])))
        t = torch.from_numpy(x)
        mask = nn.Transformer.generate_square_subsequent_mask(6) if causal else None
        got, _ = module(t, t, t, attn_mask=mask, need_weights=False)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-4, atol=1e-4)


def test_other_key_or_value_widths_are_not_packed():
    """The packed in_proj_weight is for queries, keys and values of one width, as the notebook
    says; with kdim or vdim of their own torch keeps three weights, and the count is still
    Keras' for the same widths."""
    module = nn.MultiheadAttention(16, 4, kdim=10, vdim=6)
    shapes = torch_shapes(module)
    assert "in_proj_weight" not in shapes
    assert shapes["q_proj_weight"] == (16, 16)
    assert shapes["k_proj_weight"] == (16, 10) and shapes["v_proj_weight"] == (16, 6)
    layer = layers.MultiHeadAttention(4, 4)
    layer(keras.Input(shape=(5, 16)), keras.Input(shape=(7, 6)), keras.Input(shape=(7, 10)))
    assert sum(p.numel() for p in module.parameters()) == layer.count_params()
