"""The sliding-window pictures drawn as SVG, for the browser edition (Pyodide has no matplotlib
or numpy on the registries this course installs from; see the README).

Same constructors, arguments, checks, controls (`attach_stepper`: slider, back/next, Play) and
words as the matplotlib pictures: both build on `paramlab.ui.pictures._words`, whose window
comes from `paramlab.core.windows` and `paramlab.core.attention_steps`, so there is one source
of what the window covers and two ways to draw it. Each step sets the SVG once. Every shape
that moves carries what it stands for (`data-step`, `data-row`, `data-column`, `data-key`),
which the tests read back against the pure geometry.
"""

from __future__ import annotations

from paramlab.core._style import BLUE, CELL_FILL, LINE_GREY, ORANGE, SKY
from paramlab.ui.pictures._controls import attach_stepper
from paramlab.ui.pictures._svg import HATCH, WIDTH, SvgPicture, line, rect, svg, text, ticks
from paramlab.ui.pictures._words import (
    AttentionSteps,
    ConfusionReadings,
    Conv1DWindow,
    Conv2DWindow,
)

PAD = 40  # px: room for labels left of and below a grid
TITLE_LINE = 16  # px per title line


def _title(lines: list[str]) -> list[str]:
    return [text(8, TITLE_LINE * (i + 1), words, anchor="start") for i, words in enumerate(lines)]


def _hatched(x: float, y: float, w: float, h: float) -> str:
    return rect(x, y, w, h, f"url(#{HATCH})", stroke=LINE_GREY, stroke_width=0.5)


class _Stepping(SvgPicture):
    """A picture whose position steps: checked, its words and its drawing set once."""

    position: int

    def set_position(self, position: int) -> None:
        self.check_position(position)
        self.position = position
        self._set_alt(self.alt_at(position))
        self.redraw()


class Conv1DPicture(Conv1DWindow, _Stepping):
    """Input steps across and channels up (padding hatched), the kernel's taps over every
    channel, and below, the output steps filling in."""

    def __init__(
        self,
        steps: int = 12,
        channels: int = 4,
        kernel_size: int = 3,
        *,
        padding: str = "valid",
        strides: int = 1,
        dilation_rate: int = 1,
        filters: int = 1,
    ) -> None:
        super().__init__()
        self._configure(
            steps, channels, kernel_size, padding=padding, strides=strides,
            dilation_rate=dilation_rate, filters=filters,
        )  # fmt: skip
        attach_stepper(self, self.output.length, noun="output step", interval=600)

    def drawing(self) -> str:
        first, columns = -self.pad_before, self.steps + self.padding_cells
        columns = max(columns, self.output.length)
        cell = min(24.0, (WIDTH - 2 * PAD) / columns)
        top = TITLE_LINE * 3 + 12
        x = lambda step: PAD + (step - first) * cell  # noqa: E731
        y = lambda channel: top + (self.channels - 1 - channel) * cell  # noqa: E731 (channel 0 low)
        parts = _title(self.title_lines())
        for step in range(first, self.steps + self.pad_after):
            for channel in range(self.channels):
                if 0 <= step < self.steps:
                    parts.append(rect(x(step), y(channel), cell, cell, CELL_FILL,
                                      stroke=LINE_GREY, stroke_width=0.5))  # fmt: skip
                else:
                    parts.append(_hatched(x(step), y(channel), cell, cell))
        grid_bottom = top + self.channels * cell
        parts += [text(x(s) + cell / 2, grid_bottom + 14, str(s)) for s in ticks(self.steps, cell)]
        parts.append(text(PAD + self.steps * cell / 2, grid_bottom + 28, "input step"))
        for tap in self.window.taps(self.position):
            parts.append(rect(x(tap), top, cell, self.channels * cell, ORANGE,
                              fill_opacity=0.45, stroke=ORANGE, stroke_width=2, class_="tap",
                              data_step=tap))  # fmt: skip
        out_top, m = grid_bottom + 44, self.output.length
        for i in range(m):
            fill = BLUE if i == self.position else SKY if i < self.position else "white"
            parts.append(rect(PAD + i * cell, out_top, cell, cell, fill, stroke=LINE_GREY,
                              stroke_width=0.5, class_="output", data_step=i))  # fmt: skip
        parts += [
            text(PAD + i * cell + cell / 2, out_top + cell + 14, str(i)) for i in ticks(m, cell)
        ]
        parts.append(text(PAD + m * cell / 2, out_top + cell + 28, f"output step ({m} in all)"))
        return svg(WIDTH, out_top + cell + 36, self.text, parts)


class Conv2DPicture(Conv2DWindow, _Stepping):
    """The image's front channel (padding hatched) with the k x k window, and on the right the
    output map filling in row by row."""

    def __init__(
        self,
        height: int = 6,
        width: int = 6,
        channels: int = 3,
        kernel_size: int = 3,
        *,
        padding: str = "valid",
        strides: int = 1,
    ) -> None:
        super().__init__()
        self._configure(height, width, channels, kernel_size, padding=padding, strides=strides)
        self.position = 0
        attach_stepper(self, self.cells, noun="output cell", interval=400)

    def drawing(self) -> str:
        rows, cols = self.rows, self.columns
        top_pad, left_pad = rows.pads[0], cols.pads[0]
        span_h, span_w = self.height + sum(rows.pads), self.width + sum(cols.pads)
        cell = min(24.0, (WIDTH / 2 - PAD - 8) / max(span_w, self.out_w.length))
        top = TITLE_LINE * 2 + 12
        x = lambda c: PAD + (c + left_pad) * cell  # noqa: E731
        y = lambda r: top + (r + top_pad) * cell  # noqa: E731
        k, c = self.kernel_size, self.channels
        parts = _title([
            f"Conv2D: {self.height} x {self.width} x {c} input, kernel {k} x {k} x {c}, "
            f"padding='{self.padding}', strides={self.strides}",
            f"output {self.out_h.length} x {self.out_w.length}: one cell per window position",
        ])  # fmt: skip
        for r in range(-top_pad, self.height + rows.pads[1]):
            for col in range(-left_pad, self.width + cols.pads[1]):
                inside = 0 <= r < self.height and 0 <= col < self.width
                parts.append(
                    rect(x(col), y(r), cell, cell, CELL_FILL, stroke=LINE_GREY, stroke_width=0.5)
                    if inside else _hatched(x(col), y(r), cell, cell)
                )  # fmt: skip
        _, _, first_row, first_col = self._window(self.position)
        parts.append(rect(x(first_col), y(first_row), k * cell, k * cell, ORANGE,
                          fill_opacity=0.45, stroke=ORANGE, stroke_width=2, class_="window",
                          data_row=first_row, data_column=first_col))  # fmt: skip
        bottom = top + span_h * cell
        parts.append(text(PAD + span_w * cell / 2, bottom + 16, f"input: {c} channel(s)"))
        left = WIDTH / 2 + PAD
        for i in range(self.cells):
            r, col = divmod(i, self.out_w.length)
            fill = BLUE if i == self.position else SKY if i < self.position else "white"
            parts.append(rect(left + col * cell, top + r * cell, cell, cell, fill,
                              stroke=LINE_GREY, stroke_width=0.5, class_="output",
                              data_row=r, data_column=col))  # fmt: skip
        parts.append(text(left + self.out_w.length * cell / 2, bottom + 16, "output map"))
        return svg(WIDTH, bottom + 28, self.text, parts)


class AttentionPicture(AttentionSteps, _Stepping):
    """The tokens as queries (top) and keys (below): the current query's lines to the keys it
    meets, later keys hatched under a causal mask; right, the score matrix filling in."""

    def __init__(
        self,
        seq_len: int = 8,
        *,
        causal: bool = False,
        d_model: int = 64,
        num_heads: int = 4,
        key_dim: int = 16,
    ) -> None:
        super().__init__()
        self._configure(
            seq_len, causal=causal, d_model=d_model, num_heads=num_heads, key_dim=key_dim
        )
        attach_stepper(self, self.seq_len, noun="query", interval=700)

    def drawing(self) -> str:
        n, step = self.seq_len, self.step
        cell = min(28.0, (WIDTH / 2 - PAD) / n)
        grid = min(18.0, (WIDTH / 2 - PAD) / n)
        top = TITLE_LINE * 2 + 16
        parts = _title([
            f"Attention: {n} tokens{', causal mask' if self.causal else ''}, "
            f"{self.num_heads} heads of {self.key_dim}",
            f"query and key kernels {self.kernel_shape} at every position",
        ])  # fmt: skip
        keys_top = top + 90
        centre = lambda i: PAD + i * cell + cell / 2  # noqa: E731
        for i in range(n):
            fill = ORANGE if i == self.position else CELL_FILL
            parts.append(rect(PAD + i * cell, top, cell, cell, fill, stroke=LINE_GREY,
                              stroke_width=0.5, class_="query", data_key=i))  # fmt: skip
            if i in step.keys:
                parts.append(rect(PAD + i * cell, keys_top, cell, cell, BLUE, fill_opacity=0.6,
                                  stroke=BLUE, class_="met", data_key=i))  # fmt: skip
                parts.append(line(centre(self.position), top + cell, centre(i), keys_top, BLUE))
            elif i in step.masked:
                parts.append(_hatched(PAD + i * cell, keys_top, cell, cell))
            else:
                parts.append(rect(PAD + i * cell, keys_top, cell, cell, CELL_FILL,
                                  stroke=LINE_GREY, stroke_width=0.5))  # fmt: skip
        parts.append(text(PAD - 6, top + cell * 0.7, "queries", anchor="end"))
        parts.append(text(PAD - 6, keys_top + cell * 0.7, "keys", anchor="end"))
        left = WIDTH / 2 + PAD / 2
        for q in range(n):
            met = self.step_at(q).keys
            for key in range(n):
                fill = "white"
                if q < self.position and key in met:
                    fill = SKY
                elif q == self.position and key in met:
                    fill = BLUE
                parts.append(rect(left + key * grid, top + q * grid, grid, grid, fill,
                                  stroke=LINE_GREY, stroke_width=0.5))  # fmt: skip
        parts.append(
            text(left + n * grid / 2, top + n * grid + 16, "scores: query row, key column")
        )
        return svg(WIDTH, max(keys_top + cell, top + n * grid) + 28, self.text, parts)


class ConfusionPicture(ConfusionReadings, SvgPicture):
    """One grey image read two ways: as Conv1D input the window is kernel_size rows across
    every column; as a one-channel Conv2D image it is kernel_size x kernel_size."""

    def __init__(self, size: int = 45, kernel_size: int = 5, filters: int = 32) -> None:
        super().__init__()
        self._configure(size, kernel_size, filters)
        self._set_alt(self.reading_text)
        self.redraw()

    def drawing(self) -> str:
        side = WIDTH / 2 - PAD - 16
        cell = side / self.size
        top = TITLE_LINE * 2 + 12
        k1, k2 = self.conv1d["kernel"], self.conv2d["kernel"]
        parts = _title([
            f"Conv1D on ({self.size}, {self.size}): kernel {k1.shape} = {k1.count:,}",
            f"Conv2D on ({self.size}, {self.size}, 1): kernel {k2.shape} = {k2.count:,}",
        ])  # fmt: skip
        k = self.kernel_size
        for left, (w, h), name in (
            (PAD, (self.size, k), "Conv1D: rows are steps, columns channels"),
            (WIDTH / 2 + PAD, (k, k), "Conv2D: one channel"),
        ):
            parts.append(rect(left, top, side, side, CELL_FILL, stroke=LINE_GREY))
            parts.append(rect(left, top, w * cell, h * cell, ORANGE, fill_opacity=0.5,
                              stroke=ORANGE, stroke_width=2, class_="window"))  # fmt: skip
            parts.append(text(left + side / 2, top + side + 16, name))
        return svg(WIDTH, top + side + 28, self.text, parts)
