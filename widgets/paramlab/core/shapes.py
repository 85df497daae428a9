"""Shape arithmetic along one axis: how long the output of a convolution or pooling is.

Keras' rules, not the textbook's: padding is `valid`, `same` or (Conv1D only) `causal`;
`dilation_rate=1` means no gaps (what cs231n calls "dilation 0"). Pure: no keras import.
"""

from __future__ import annotations

from dataclasses import dataclass

from paramlab.core import _checks

CONV_PADDINGS = ("valid", "same", "causal")
POOL_PADDINGS = ("valid", "same")
TRANSPOSE_PADDINGS = ("valid", "same")


@dataclass(frozen=True)
class OutputLength:
    """The output length along one axis, with the formula in symbols, in numbers and in words."""

    length: int
    symbols: str
    values: str
    words: str

    @property
    def formula(self) -> str:
        return f"{self.symbols} = {self.values} = {self.length}"

    def __str__(self) -> str:
        return f"{self.formula}  ({self.words})"


def _steps(n: int) -> str:
    return "1 step" if n == 1 else f"{n:,} steps"


def effective_kernel(kernel_size: int, dilation_rate: int = 1) -> int:
    """How many input positions a dilated kernel spans: (k - 1) * d + 1."""
    k = _checks.positive("kernel_size", kernel_size)
    d = _checks.positive("dilation_rate", dilation_rate)
    return (k - 1) * d + 1


def conv_output_length(
    length: int,
    kernel_size: int,
    *,
    padding: str = "valid",
    strides: int = 1,
    dilation_rate: int = 1,
) -> OutputLength:
    """Output length of a convolution along one axis, as Keras computes it.

    valid: floor((L - (k - 1) * d - 1) / s) + 1, and the window must fit inside the input;
    same and causal: floor((L - 1) / s) + 1 (the input is padded so every start position counts).
    """
    n = _checks.positive("length", length)
    k = _checks.positive("kernel_size", kernel_size)
    s = _checks.positive("strides", strides)
    d = _checks.positive("dilation_rate", dilation_rate)
    pad = _checks.choice("padding", padding, CONV_PADDINGS)
    if s > 1 and d > 1:
        raise ValueError(
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
            f"Received: strides={s} and dilation_rate={d}"
        )
    if pad == "valid":
        return _valid_conv_length(n, k, s, d)
    return _padded_conv_length(n, s, pad)


def _valid_conv_length(n: int, k: int, s: int, d: int) -> OutputLength:
    span = (k - 1) * d + 1
    if span > n:
        raise ValueError(
            "The kernel is longer than the input, so a 'valid' convolution has no "
            f"position to put it (it spans (kernel_size - 1) * dilation_rate + 1 = {span} "
            f"steps). Use padding='same' or a shorter kernel. "
            f"Received: length={n}, kernel_size={k}, dilation_rate={d}"
        )
    if d == 1:
        symbols, values = "(L - k) // s + 1", f"({n} - {k}) // {s} + 1"
    else:
        symbols = "(L - (k - 1) * d - 1) // s + 1"
        values = f"({n} - ({k} - 1) * {d} - 1) // {s} + 1"
    words = (
        f"'valid' adds no padding: the window of {_steps(span)} must fit inside the "
        f"{_steps(n)}, then moves {_steps(s)} at a time"
    )
    return OutputLength((n - span) // s + 1, symbols, values, words)


def _padded_conv_length(n: int, s: int, pad: str) -> OutputLength:
    """'same' and 'causal': the input is padded so that every start position counts."""
    where = "at the start only" if pad == "causal" else "on both sides"
    words = (
        f"'{pad}' pads {where} and the window starts every {_steps(s)}: (L - 1) // s + 1 outputs"
        if s > 1
        else f"'{pad}' pads {where} so the output is as long as the input"
    )
    return OutputLength((n - 1) // s + 1, "(L - 1) // s + 1", f"({n} - 1) // {s} + 1", words)


def padding_amount(
    length: int, kernel_size: int, *, padding: str, strides: int = 1, dilation_rate: int = 1
) -> tuple[int, int]:
    """Padding cells (before, after) that a convolution adds along one axis.

    `same` splits the total as TensorFlow does (the extra cell goes after);
    `causal` puts all of it before the input, so an output never sees the future.
    """
    n = _checks.positive("length", length)
    pad = _checks.choice("padding", padding, CONV_PADDINGS)
    span = effective_kernel(kernel_size, dilation_rate)
    s = _checks.positive("strides", strides)
    if pad == "valid":
        return (0, 0)
    if pad == "causal":
        return (span - 1, 0)
    out = (n - 1) // s + 1
    total = max((out - 1) * s + span - n, 0)
    return (total // 2, total - total // 2)


def pool_output_length(
    length: int, pool_size: int, *, padding: str = "valid", strides: int | None = None
) -> OutputLength:
    """Output length of pooling along one axis; strides default to pool_size, as in Keras."""
    n = _checks.positive("length", length)
    p = _checks.positive("pool_size", pool_size)
    s = p if strides is None else _checks.positive("strides", strides)
    pad = _checks.choice("padding", padding, POOL_PADDINGS)
    if pad == "valid":
        if p > n:
            raise ValueError(
                "The pooling window is longer than the input, so 'valid' pooling has no "
                f"position to put it. Received: length={n}, pool_size={p}"
            )
        words = f"'valid': windows of {p} that fit inside the {_steps(n)}, {s} apart"
        return OutputLength((n - p) // s + 1, "(L - p) // s + 1", f"({n} - {p}) // {s} + 1", words)
    words = f"'same': one window every {_steps(s)} from the start, padding the end as needed"
    return OutputLength((n - 1) // s + 1, "(L - 1) // s + 1", f"({n} - 1) // {s} + 1", words)


def conv_transpose_output_length(
    length: int,
    kernel_size: int,
    *,
    padding: str = "valid",
    strides: int = 1,
    dilation_rate: int = 1,
    output_padding: int | None = None,
) -> OutputLength:
    """Output length of a transposed convolution along one axis, as Keras computes it."""
    n = _checks.positive("length", length)
    s = _checks.positive("strides", strides)
    pad = _checks.choice("padding", padding, TRANSPOSE_PADDINGS)
    span = effective_kernel(kernel_size, dilation_rate)
    if output_padding is not None:
        op = _checks.integer("output_padding", output_padding)
        if not 0 <= op < s:
            raise ValueError(
                "`output_padding` must be smaller than `strides` and not negative. "
                f"Received: output_padding={op}, strides={s}"
            )
    if pad == "valid":
        return _valid_transpose_length(n, s, span, output_padding)
    return _same_transpose_length(n, s, span, output_padding)


def _valid_transpose_length(n: int, s: int, span: int, output_padding: int | None) -> OutputLength:
    extra = max(span, s) - span if output_padding is None else output_padding
    out = (n - 1) * s + span + extra
    symbols, values = "(L - 1) * s + k_eff + extra", f"({n} - 1) * {s} + {span} + {extra}"
    words = (
        "'valid' transposed: each input step spreads a window of "
        f"{span} outputs, {s} apart, with nothing cropped"
    )
    return OutputLength(out, symbols, values, words)


def _same_transpose_length(n: int, s: int, span: int, output_padding: int | None) -> OutputLength:
    if output_padding is None:
        words = "'same' transposed: exactly strides times the input length"
        return OutputLength(n * s, "L * s", f"{n} * {s}", words)
    out = (n - 1) * s + span % 2 + output_padding
    words = "'same' transposed with output_padding: the padding trims the overhang"
    return OutputLength(
        out,
        "(L - 1) * s + k_eff % 2 + output_padding",
        f"({n} - 1) * {s} + {span} % 2 + {output_padding}",
        words,
    )
