"""RecurrentExplorer: SimpleRNN, LSTM (x4) and GRU (x3, with reset_after), optionally
Bidirectional (x2)."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from paramlab import formulas as F
from paramlab.explorers._base import Explorer, Reading, checkbox, dropdown, int_slider
from paramlab.formulas.recurrent import GATES

_GATE_NAMES = {
    "SimpleRNN": "one block",
    "LSTM": "four gates (input, forget, candidate, output)",
    "GRU": "three gates (update, reset, candidate)",
}


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
        self._initial = dict(
            cell=cell,
            units=units,
            input_dim=input_dim,
            reset_after=reset_after,
            bidirectional=bidirectional,
            use_bias=use_bias,
        )
        super().__init__()

    def controls(self) -> dict[str, W.ValueWidget]:
        v = self._initial
        return {
            "cell": dropdown(v["cell"], ("SimpleRNN", "LSTM", "GRU"), "cell"),
            "units": int_slider(v["units"], 1, 512, "units"),
            "input_dim": int_slider(v["input_dim"], 1, 1024, "input_dim"),
            "reset_after": checkbox(v["reset_after"], "reset_after (GRU)"),
            "bidirectional": checkbox(v["bidirectional"], "Bidirectional"),
            "use_bias": checkbox(v["use_bias"], "use_bias"),
        }

    def keep_valid(self) -> None:
        self.sliders["reset_after"].disabled = self.sliders["cell"].value != "GRU"

    def read(self, values: dict[str, Any]) -> Reading:
        cell, u, n = values["cell"], values["units"], values["input_dim"]
        bias, both = values["use_bias"], values["bidirectional"]
        after = values["reset_after"] if cell == "GRU" else False
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
            f" = {block:,}",
            f"{cell} has {_GATE_NAMES[cell]}: {g} * {block:,} = {g * block:,}",
        ]
        if cell == "GRU" and after and bias:
            extra.append(f"reset_after=True keeps a second bias per gate: + {g} * {u} = {g * u}")
        b = one
        out_units = u
        config: dict[str, Any] = {"units": u, "use_bias": bias}
        if cell == "GRU":
            config["reset_after"] = after
        heading = f"{cell}({', '.join(f'{k}={v}' for k, v in config.items())})"
        if both:
            b = F.bidirectional(one)
            out_units = 2 * u
            heading = f"Bidirectional({heading})"
            extra.append(f"Bidirectional runs two independent copies: 2 * {one.total:,}")
            config["bidirectional"] = True
        extra.insert(0, f"Output shape: (batch, {out_units}) for the last step")
        return Reading(
            heading=f"{heading} on input (batch, steps, {n})",
            breakdown=b,
            extra=tuple(extra),
            kind=cell,
            config=config,
            input_shape=(None, 10, n),
        )
