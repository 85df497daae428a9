"""Filmstrips: a sliding window at the few positions that teach, for views without a kernel.

GitHub, nbviewer, an HTML or PDF export and an editor without the widget extension cannot move a
slider, so a sliding-window picture is shown there as frames: the first position, the next one,
one with the window over padding (when the configuration pads) and the last. With Keras'
padding the window is over padding at the first position (padding before) or the last (padding
after), so that frame is one of the others and says so in its title ("last, over padding").

`filmstrip_positions` is plain arithmetic (no matplotlib); `agg_figure` and `png_bytes` draw a
filmstrip off-screen, on a canvas of its own, so the live ipympl figure is never touched.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from paramlab.core.shapes import conv_output_length, padding_amount

FIRST, NEXT, OVER_PADDING, LAST = "first", "next", "over padding", "last"
FILMSTRIP_DPI = 96  # as on screen: 9 pt text is 12 px


@dataclass(frozen=True)
class Frame:
    """One frame: the output position shown (an output step, or a row-major output cell) and
    why it was chosen (`roles`, in the order first, next, last, over padding)."""

    position: int
    roles: tuple[str, ...]

    @property
    def label(self) -> str:
        return ", ".join(self.roles)


@dataclass(frozen=True)
class WindowAxis:
    """The window along one axis: where its taps fall for each output index."""

    length: int
    kernel_size: int
    padding: str = "valid"
    strides: int = 1
    dilation_rate: int = 1

    @property
    def outputs(self) -> int:
        return conv_output_length(
            self.length,
            self.kernel_size,
            padding=self.padding,
            strides=self.strides,
            dilation_rate=self.dilation_rate,
        ).length

    @property
    def pads(self) -> tuple[int, int]:
        """Padding cells (before, after)."""
        return padding_amount(
            self.length,
            self.kernel_size,
            padding=self.padding,
            strides=self.strides,
            dilation_rate=self.dilation_rate,
        )

    @property
    def pad_before(self) -> int:
        return self.pads[0]

    def taps(self, index: int) -> list[int]:
        """Input indices under the kernel's taps for output `index` (padding: < 0 or >= length)."""
        start = index * self.strides - self.pad_before
        return [start + t * self.dilation_rate for t in range(self.kernel_size)]

    def over_padding(self, index: int) -> bool:
        return any(not 0 <= x < self.length for x in self.taps(index))

    def describe(self, index: int, noun: str) -> str:
        """The taps in words: 'steps 0..2', 'padding + steps 0..1', 'steps 0, 2, 4'."""
        taps = self.taps(index)
        real = [x for x in taps if 0 <= x < self.length]
        parts = ["padding"] if taps[0] < 0 else []
        if len(real) == 1:
            parts.append(f"{noun} {real[0]}")
        elif real and self.dilation_rate == 1:
            parts.append(f"{noun}s {real[0]}..{real[-1]}")
        elif len(real) <= 4:
            parts.append(f"{noun}s {', '.join(map(str, real))}")
        elif real:
            parts.append(f"{noun}s {real[0]}, {real[1]}, ..., {real[-1]}")
        if taps[-1] >= self.length:
            parts.append("padding")
        return " + ".join(parts)


def filmstrip_positions(
    size: int | tuple[int, ...],
    kernel_size: int,
    *,
    padding: str = "valid",
    strides: int = 1,
    dilation_rate: int = 1,
) -> tuple[Frame, ...]:
    """The telling positions of a window over an input of `size` (Conv1D: steps; Conv2D:
    (height, width), positions counted row by row): first, next, one over padding if any, last.

    >>> [f.position for f in filmstrip_positions(100, 3)]
    [0, 1, 97]
    >>> [f.label for f in filmstrip_positions(12, 3, padding="same", strides=2)]
    ['first', 'next', 'last, over padding']
    """
    sizes = (size,) if isinstance(size, int) else tuple(size)
    axes = [WindowAxis(n, kernel_size, padding, strides, dilation_rate) for n in sizes]
    counts = [axis.outputs for axis in axes]
    total = math.prod(counts)

    def over_padding(position: int) -> bool:
        for axis, count in zip(reversed(axes), reversed(counts), strict=True):
            position, index = divmod(position, count)
            if axis.over_padding(index):
                return True
        return False

    roles: dict[int, list[str]] = {0: [FIRST]}
    if total > 1:
        roles.setdefault(1, []).append(NEXT)
    roles.setdefault(total - 1, []).append(LAST)
    if any(sum(axis.pads) for axis in axes):
        shown = [p for p in sorted(roles) if over_padding(p)]
        padded = shown[0] if shown else next(p for p in range(total) if over_padding(p))
        roles.setdefault(padded, []).append(OVER_PADDING)
    return tuple(Frame(p, tuple(roles[p])) for p in sorted(roles))


def agg_figure(width: float, height: float, dpi: float = FILMSTRIP_DPI) -> Figure:
    """A figure on a private Agg canvas (not pyplot, not ipympl), in whole pixels."""
    fig = Figure(figsize=(round(width * dpi) / dpi, round(height * dpi) / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def fitted(fig: Figure, title: str, *, fontsize: float, width: float) -> str:
    """`title`, broken before "covers" if on one line it would be wider than `width` inches
    (measured with `fig`'s renderer), so no frame's title is cut off at the figure's edge."""
    probe = fig.text(0, 0, title, fontsize=fontsize)
    wide = probe.get_window_extent(fig.canvas.get_renderer()).width > width * fig.dpi
    probe.remove()
    return title.replace(" covers ", "\ncovers ", 1) if wide else title


def png_bytes(fig: Figure) -> bytes:
    """`fig` (on an Agg canvas) as compact PNG bytes: 8-bit palette (the pictures are a few flat
    colours and their anti-aliased edges), no timestamp or software name, so the same picture
    always gives the same bytes."""
    from PIL import Image  # matplotlib depends on Pillow

    fig.canvas.draw()
    rgba = fig.canvas.buffer_rgba()
    image = Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1)
    palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=0)
    buffer = io.BytesIO()
    palette.save(buffer, format="png", optimize=True)
    return buffer.getvalue()


def frames_told(frames: tuple[Frame, ...], title: Callable[[Frame], str]) -> str:
    """The frames of a filmstrip in words, for its text alternative: `Frame 1, <title>. ...`."""
    return " ".join(f"Frame {i}, {title(frame)}." for i, frame in enumerate(frames, 1))
