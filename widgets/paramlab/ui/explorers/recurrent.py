"""RecurrentExplorer: SimpleRNN, LSTM (x4) and GRU (x3, with reset_after), optionally
Bidirectional (x2)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from paramlab.core import formulas as F
from paramlab.core.formulas.recurrent import GATES
from paramlab.core.terms import fmt
from paramlab.ui.explorers._base import Explorer, Reading
from paramlab.ui.explorers._controls import checkbox, dropdown, int_slider

CELLS = ("SimpleRNN", "LSTM", "GRU")
MAX_UNITS = 512
MAX_INPUT = 1024

_GATE_NAMES = {
    "SimpleRNN": "one block",
    "LSTM": "four gates (input, forget, candidate, output)",
    "GRU": "three gates (update, reset, candidate)",
}


def _keras_recurrent(cell: str, *, bidirectional: bool, **config: Any) -> Any:
    from keras import layers

    classes = {"SimpleRNN": layers.SimpleRNN, "LSTM": layers.LSTM, "GRU": layers.GRU}
    layer = classes[cell](**config)  # `cell` is the dropdown's option, one of CELLS
    return layers.Bidirectional(layer) if bidirectional else layer


class RecurrentExplorer(Explorer):
    """Pick the cell; see each gate as a Dense on [h, x] and the factor it is repeated by."""

    def __init__(
        self,
        cell: str = "LSTM",
        units: int = 64,
        input_dim: int = 6,
        reset_after: bool = True,
        bidirectional: bool = False,
        use_bias: bool = True,
    ) -> None:
        super().__init__(
            controls={
                "cell": dropdown("cell", cell, CELLS),
                "units": int_slider("units", units, MAX_UNITS),
                "input_dim": int_slider("input_dim", input_dim, MAX_INPUT),
                "reset_after": checkbox(
                    "reset_after", reset_after, description="reset_after (GRU)"
                ),
                "bidirectional": checkbox(
                    "bidirectional", bidirectional, description="Bidirectional"
                ),
                "use_bias": checkbox("use_bias", use_bias),
            }
        )

    def keep_valid(self) -> Sequence[str]:
        cell = self.controls["cell"].value
        return [
            self.lock(
                "reset_after",
                cell != "GRU",
                f"reset_after is locked while cell='{cell}': only GRU has a reset gate",
            )
        ]

    def read(
        self,
        *,
        cell: str,
        units: int,
        input_dim: int,
        reset_after: bool,
        bidirectional: bool,
        use_bias: bool,
    ) -> Reading:
        u, n, bias = units, input_dim, use_bias
        after = reset_after if cell == "GRU" else False
        if cell == "GRU":
            one = F.gru(u, n, use_bias=bias, reset_after=after)
        elif cell == "LSTM":
            one = F.lstm(u, n, use_bias=bias)
        else:
            one = F.simple_rnn(u, n, use_bias=bias)
        g = GATES[cell]
        block = u * (u + n) + (u if bias else 0)
        extra = [
            f"Each gate is a Dense on [h, x]: units * (units + input_dim)"
            f"{' + units' if bias else ''} = {u} * ({u} + {n}){f' + {u}' if bias else ''}"
            f" = {fmt(block)}",
            f"{cell} has {_GATE_NAMES[cell]}: {g} * {fmt(block)} = {fmt(g * block)}",
        ]
        if cell == "GRU" and after and bias:
            extra.append(
                f"reset_after=True keeps a second bias per gate: + {g} * {u} = {fmt(g * u)}"
            )
        config: dict[str, Any] = {"units": u, "use_bias": bias}
        if cell == "GRU":
            config["reset_after"] = after
        heading = f"{cell}({', '.join(f'{k}={v}' for k, v in config.items())})"
        b, out_units = one, u
        if bidirectional:
            b = F.bidirectional(one)
            out_units = 2 * u
            heading = f"Bidirectional({heading})"
            extra.append(
                f"Bidirectional runs two independent copies: 2 * {fmt(one.total)} = {fmt(b.total)}"
            )
        extra.insert(0, f"Output shape: (batch, {out_units}) for the last step")
        return Reading(
            heading=f"{heading} on input (batch, steps, {fmt(n)})",
            breakdown=b,
            extra=tuple(extra),
            layer=partial(_keras_recurrent, cell, bidirectional=bidirectional, **config),
            input_shape=(None, 10, n),
        )
