"""One layer side by side: as Keras counts it (`paramlab.core.formulas`) and as torch does."""

from __future__ import annotations

from dataclasses import dataclass

from paramlab.core import formulas
from paramlab.core.pytorch._counts import TorchCounts, counts
from paramlab.core.pytorch._modules import batch_norm, gru, lstm, rnn
from paramlab.core.terms import Breakdown, fmt


@dataclass(frozen=True)
class Comparison:
    """One layer as Keras counts it and as torch counts it; `difference` is torch - Keras."""

    keras: Breakdown
    torch: TorchCounts
    why: str

    @property
    def difference(self) -> int:
        return self.torch.parameter_count - self.keras.total

    def __str__(self) -> str:
        return (
            f"Keras {self.keras.layer}: {fmt(self.keras.total)} | "
            f"torch {self.torch.module}: {fmt(self.torch.parameter_count)} | "
            f"torch - Keras = {self.difference:+,}: {self.why}"
        )


def lstm_vs_keras(units: int, input_dim: int) -> Comparison:
    """Keras LSTM(units) on input_dim features against nn.LSTM(input_dim, units): torch has
    4 * units more, its second bias `bias_hh_l0` (64 units on 6 features: 18,432 vs 18,176)."""
    k = formulas.lstm(units, input_dim)
    why = f"bias_hh_l0, the second bias: 4 * hidden_size = 4 * {units} = {fmt(4 * units)}"
    return Comparison(k, counts(lstm(units, input_dim)), why)


def gru_vs_keras(units: int, input_dim: int, *, reset_after: bool = True) -> Comparison:
    """Keras GRU against nn.GRU: equal with `reset_after=True`, torch 3 * units more without."""
    k = formulas.gru(units, input_dim, reset_after=reset_after)
    why = (
        "both keep two biases (Keras' bias has shape (2, 3 * units))"
        if reset_after
        else f"bias_hh_l0: reset_after=False keeps one bias, torch two: 3 * {units}"
    )
    return Comparison(k, counts(gru(units, input_dim)), why)


def simple_rnn_vs_keras(units: int, input_dim: int) -> Comparison:
    """Keras SimpleRNN against nn.RNN: torch has units more (`bias_hh_l0`)."""
    k = formulas.simple_rnn(units, input_dim)
    return Comparison(k, counts(rnn(units, input_dim)), f"bias_hh_l0, the second bias: {units}")


def batch_norm_vs_keras(channels: int) -> Comparison:
    """Keras BatchNormalization against nn.BatchNorm2d: Keras 4 * channels (2 of them
    non-trainable), torch 2 * channels; torch's parameters equal Keras' trainable count."""
    k = formulas.batch_normalization(channels)
    why = (
        f"torch keeps running_mean and running_var as buffers: -2 * {channels}; "
        "the trainable counts agree"
    )
    return Comparison(k, batch_norm(channels), why)
