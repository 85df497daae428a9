"""Adapters for `paramlab.core.formulas.recurrent`: SimpleRNN, LSTM, GRU, their cells and
StackedRNNCells (inside any `RNN`), ConvLSTM1D/2D/3D."""

from __future__ import annotations

from typing import Any

from keras import layers as L

from paramlab.bridge._adapters._read import channels, input_shape, last
from paramlab.bridge._registry import NoFormula, register
from paramlab.core import formulas as F
from paramlab.core.terms import Breakdown, Family


def _cell(cell: Any, input_dim: int) -> Breakdown:
    """The breakdown of a recurrent cell reading `input_dim` features."""
    if isinstance(cell, L.LSTMCell):
        return F.lstm(cell.units, input_dim, use_bias=cell.use_bias)
    if isinstance(cell, L.GRUCell):
        return F.gru(cell.units, input_dim, use_bias=cell.use_bias, reset_after=cell.reset_after)
    if isinstance(cell, L.SimpleRNNCell):
        return F.simple_rnn(cell.units, input_dim, use_bias=cell.use_bias)
    if isinstance(cell, L.StackedRNNCells):
        parts = []
        for inner in cell.cells:
            parts.append(_cell(inner, input_dim))
            input_dim = inner.units if hasattr(inner, "units") else _cell_output(inner)
        return F.stacked_cells(parts)
    raise NoFormula(f"no formula for a {type(cell).__name__} cell")


def _cell_output(cell: Any) -> int:
    size = getattr(cell, "output_size", None)
    if isinstance(size, int):
        return size
    raise NoFormula(f"cannot tell the output size of a {type(cell).__name__} cell")


@register(L.RNN)
def _rnn(layer: Any) -> Breakdown:
    b = _cell(layer.cell, last(input_shape(layer)))
    if type(layer) in (L.LSTM, L.GRU, L.SimpleRNN):  # the layer and its cell share the formula
        return b
    name = f"{type(layer).__name__}({b.layer})"
    return Breakdown(name, b.terms, b.notes, family=Family.RNN, wrapped=b)


@register(L.SimpleRNNCell, L.LSTMCell, L.GRUCell, L.StackedRNNCells)
def _cell_layer(layer: Any) -> Breakdown:
    return _cell(layer, last(input_shape(layer)))


@register(L.ConvLSTM1D, L.ConvLSTM2D, L.ConvLSTM3D)
def _conv_lstm(layer: Any) -> Breakdown:
    cell = layer.cell
    shape = input_shape(layer)
    return F.conv_lstm(
        cell.rank,
        cell.filters,
        cell.kernel_size,
        channels(layer, shape, time_axis=True),
        use_bias=cell.use_bias,
    )
