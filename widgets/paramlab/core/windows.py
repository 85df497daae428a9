"""Where a sliding window falls: the one source of what a picture's window covers, for both of
its renderers (matplotlib in the full course, SVG in the browser edition), and which positions
a filmstrip shows. Pure: the standard library and the core's shape arithmetic only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from paramlab.core.shapes import conv_output_length, padding_amount

FIRST, NEXT, OVER_PADDING, LAST = "first", "next", "over padding", "last"


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


def frames_told(frames: tuple[Frame, ...], title: Callable[[Frame], str]) -> str:
    """The frames of a filmstrip in words, for its text alternative: `Frame 1, <title>. ...`."""
    return " ".join(f"Frame {i}, {title(frame)}." for i, frame in enumerate(frames, 1))
