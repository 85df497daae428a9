"""What each sliding-window picture is, whatever draws it: its arguments checked, where its
window falls (from `paramlab.core.windows` and `paramlab.core.attention_steps`) and what it
says in words (its text alternative at each position, its filmstrip's frames). The matplotlib
pictures (the full course) and the SVG pictures (the browser edition, which has no matplotlib)
both build on these, so the two renderers draw and say the same thing.

Pure: no matplotlib, no numpy, no ipywidgets.
"""

from __future__ import annotations

from paramlab.core import formulas as F
from paramlab.core.attention_steps import QueryStep, query_step
from paramlab.core.shapes import conv_output_length, padding_amount
from paramlab.core.terms import counted, fmt
from paramlab.core.windows import Frame, WindowAxis, filmstrip_positions, frames_told

MAX_STEPS = 64
MAX_CHANNELS = 32
MAX_SIDE = 24
MAX_SEQ_LEN = 32


def _check_position(position: int, count: int, noun: str) -> None:
    if not 0 <= position < count:
        raise ValueError(
            f"`position` must be {noun} from 0 to {count - 1}. Received: position={position}"
        )


class Conv1DWindow:
    """A (kernel_size x channels) window along a (steps x channels) input."""

    position: int

    def _configure(
        self,
        steps: int,
        channels: int,
        kernel_size: int,
        *,
        padding: str,
        strides: int,
        dilation_rate: int,
        filters: int,
    ) -> None:
        if steps > MAX_STEPS or channels > MAX_CHANNELS:
            raise ValueError(
                f"The picture draws at most {MAX_STEPS} steps and {MAX_CHANNELS} channels. "
                f"Received: steps={steps}, channels={channels}"
            )
        out = conv_output_length(
            steps, kernel_size, padding=padding, strides=strides, dilation_rate=dilation_rate
        )
        self.steps, self.channels, self.kernel_size = steps, channels, kernel_size
        self.padding, self.strides, self.dilation_rate = padding, strides, dilation_rate
        self.filters = filters
        self.output = out
        self.pad_before, self.pad_after = padding_amount(
            steps, kernel_size, padding=padding, strides=strides, dilation_rate=dilation_rate
        )
        self.position = 0

    @property
    def padding_cells(self) -> int:
        """Padding columns drawn (each spans every channel)."""
        return self.pad_before + self.pad_after

    @property
    def window(self) -> WindowAxis:
        return WindowAxis(
            self.steps, self.kernel_size, self.padding, self.strides, self.dilation_rate
        )

    def _tap_x(self, position: int, tap: int) -> int:
        return self.window.taps(position)[tap]

    def check_position(self, position: int) -> None:
        _check_position(position, self.output.length, "an output step")

    def alt_at(self, position: int) -> str:
        first, last = self._tap_x(position, 0), self._tap_x(position, self.kernel_size - 1)
        return (
            f"{self._summary()}; the kernel covers steps {first} to {last} and "
            f"{self._spans()} to make output step {position} of {self.output.length}."
        )

    def title_lines(self) -> list[str]:
        padded = " (hatched: padding)" if self.padding_cells else ""
        return [
            f"Conv1D: kernel {self.kernel_size} steps x {self.channels} channels x "
            f"{self.filters} filter(s){padded}",
            f"padding='{self.padding}', strides={self.strides}, dilation_rate={self.dilation_rate}",
            f"output length {self.output.formula}",
        ]

    def _summary(self) -> str:
        padding = counted(self.padding_cells, "padding step") if self.padding_cells else ""
        return (
            f"Conv1D picture: {counted(self.steps, 'step')} x "
            f"{counted(self.channels, 'channel')}{f', {padding}' if padding else ''}"
        )

    def _spans(self) -> str:
        return "the one channel" if self.channels == 1 else f"all {self.channels} channels"

    def frames(self) -> tuple[Frame, ...]:
        return filmstrip_positions(
            self.steps,
            self.kernel_size,
            padding=self.padding,
            strides=self.strides,
            dilation_rate=self.dilation_rate,
        )

    def _frame_title(self, frame: Frame) -> str:
        covers = self.window.describe(frame.position, "input step")
        return (
            f"{frame.label}: output step {frame.position} of {self.output.length} covers {covers}"
        )

    @property
    def static_text(self) -> str:
        frames = self.frames()
        told = frames_told(frames, self._frame_title)
        return (
            f"{self._summary()}, shown in {len(frames)} frames (kernel {self.kernel_size}, "
            f"padding='{self.padding}', strides={self.strides}, dilation_rate="
            f"{self.dilation_rate}; the kernel spans {self._spans()}). {told} In each frame the "
            "output steps before the current one are filled in."
        )


class Conv2DWindow:
    """A (k x k x channels) window over a (height x width x channels) image."""

    def _configure(
        self, height: int, width: int, channels: int, kernel_size: int, *, padding: str,
        strides: int,
    ) -> None:  # fmt: skip
        if height > MAX_SIDE or width > MAX_SIDE:
            raise ValueError(
                f"The picture draws images of at most {MAX_SIDE} x {MAX_SIDE}. "
                f"Received: height={height}, width={width}"
            )
        self.height, self.width, self.channels = height, width, channels
        self.kernel_size, self.padding, self.strides = kernel_size, padding, strides
        self.out_h = conv_output_length(height, kernel_size, padding=padding, strides=strides)
        self.out_w = conv_output_length(width, kernel_size, padding=padding, strides=strides)
        self.pad_top, _ = padding_amount(height, kernel_size, padding=padding, strides=strides)
        self.pad_left, _ = padding_amount(width, kernel_size, padding=padding, strides=strides)

    @property
    def rows(self) -> WindowAxis:
        return WindowAxis(self.height, self.kernel_size, self.padding, self.strides)

    @property
    def columns(self) -> WindowAxis:
        return WindowAxis(self.width, self.kernel_size, self.padding, self.strides)

    @property
    def cells(self) -> int:
        return self.out_h.length * self.out_w.length

    def _window(self, position: int) -> tuple[int, int, int, int]:
        """Output (row, column) of `position` and the window's top row and left column."""
        row, col = divmod(position, self.out_w.length)
        return row, col, self.rows.taps(row)[0], self.columns.taps(col)[0]

    def check_position(self, position: int) -> None:
        _check_position(position, self.cells, "an output cell")

    def alt_at(self, position: int) -> str:
        row, col, top, left = self._window(position)
        return (
            f"{self._summary()}, at rows {top} to {top + self.kernel_size - 1} and columns "
            f"{left} to {left + self.kernel_size - 1}, makes output cell ({row}, {col}) of "
            f"{self.out_h.length} x {self.out_w.length}."
        )

    def _summary(self) -> str:
        k, c = self.kernel_size, self.channels
        image = f"{self.height} x {self.width} x {c}"
        return f"Conv2D picture: a {k} x {k} x {c} kernel over a {image} image"

    def frames(self) -> tuple[Frame, ...]:
        return filmstrip_positions(
            (self.height, self.width), self.kernel_size, padding=self.padding, strides=self.strides
        )

    def _frame_title(self, frame: Frame) -> str:
        row, col = divmod(frame.position, self.out_w.length)
        return (
            f"{frame.label}: output cell ({row}, {col}) of {self.out_h.length} x "
            f"{self.out_w.length} covers {self.rows.describe(row, 'row')}, "
            f"{self.columns.describe(col, 'column')}"
        )

    @property
    def static_text(self) -> str:
        frames = self.frames()
        told = frames_told(frames, self._frame_title)
        return (
            f"{self._summary()} (padding='{self.padding}', strides={self.strides}), shown in "
            f"{len(frames)} frames; the kernel spans all {self.channels} channels. {told} In "
            "each frame the output cells before the current one, row by row, are filled in."
        )


class AttentionSteps:
    """One query at a time meeting the keys of a sequence (a causal mask hides later keys)."""

    position: int

    def _configure(
        self, seq_len: int, *, causal: bool, d_model: int, num_heads: int, key_dim: int
    ) -> None:
        first = query_step(seq_len, 0, causal=causal)  # checks seq_len and causal
        if seq_len > MAX_SEQ_LEN:
            raise ValueError(
                f"The picture draws at most {MAX_SEQ_LEN} tokens. Received: seq_len={seq_len}"
            )
        attention = F.multi_head_attention(num_heads, key_dim, d_model)
        self.seq_len, self.causal = first.seq_len, first.causal
        self.d_model, self.num_heads, self.key_dim = d_model, num_heads, key_dim
        self.kernel_shape = attention["query/kernel"].shape
        self.position = 0

    @property
    def step(self) -> QueryStep:
        return query_step(self.seq_len, self.position, causal=self.causal)

    def step_at(self, position: int) -> QueryStep:
        return query_step(self.seq_len, position, causal=self.causal)

    def check_position(self, position: int) -> None:
        _check_position(position, self.seq_len, "a query")

    def alt_at(self, position: int) -> str:
        n = self.seq_len
        return (
            f"{self._summary()}; {self.step_at(position).words}: row {position} of the {n} x {n} "
            "score matrix of each head, made by the same query and key kernels as every other row."
        )

    def _summary(self) -> str:
        mask = ", causal mask" if self.causal else ""
        heads = counted(self.num_heads, "head")
        return f"Attention picture: {counted(self.seq_len, 'token')}{mask}, {heads}"

    def frames(self) -> tuple[Frame, ...]:
        """The first query, the next and the last: a window of one token sliding along."""
        return filmstrip_positions(self.seq_len, 1)

    def _frame_title(self, frame: Frame) -> str:
        return f"{frame.label}: {self.step_at(frame.position).words}"

    @property
    def static_text(self) -> str:
        frames = self.frames()
        told = frames_told(frames, self._frame_title)
        return (
            f"{self._summary()}, query and key kernels {self.kernel_shape} at every position, "
            f"shown in {len(frames)} frames. {told} In each frame the rows of the score matrix "
            "for the earlier queries are filled in."
        )


class ConfusionReadings:
    """One grey size x size image read two ways: as Conv1D input and as Conv2D input."""

    def _configure(self, size: int, kernel_size: int, filters: int) -> None:
        self.conv1d = F.conv1d(filters, kernel_size, size)
        self.conv2d = F.conv2d(filters, kernel_size, 1)
        self.size, self.kernel_size, self.filters = size, kernel_size, filters

    @property
    def reading_text(self) -> str:
        """The picture's text alternative."""
        size, kernel_size, filters = self.size, self.kernel_size, self.filters
        k1, k2 = self.conv1d["kernel"], self.conv2d["kernel"]
        return (
            f"The same {size}x{size} grey image twice. Read as Conv1D input, each of the "
            f"{size} rows is a step with {size} channels, so a {kernel_size}-step kernel spans "
            f"all {size} columns: {fmt(k1.count)} weights for {filters} filters. Read as a "
            f"one-channel Conv2D image, the kernel is {kernel_size} x {kernel_size}: "
            f"{fmt(k2.count)} weights."
        )
