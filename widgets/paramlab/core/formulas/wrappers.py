"""Wrappers: Bidirectional, TimeDistributed and SpectralNormalization around another layer."""

from __future__ import annotations

from paramlab.core.terms import Breakdown, Family, fmt, term


def bidirectional(forward: Breakdown, backward: Breakdown | None = None) -> Breakdown:
    """Bidirectional: two independent copies of the layer, one reading each direction.

    The backward layer is a copy of the forward one unless given, so the count doubles.
    The result's `wrapped` is the forward layer's breakdown.
    """
    backward = forward if backward is None else backward
    terms = forward.scoped("forward") + backward.scoped("backward")
    notes = (
        f"two {forward.layer} layers, one per direction: 2 * {forward.total:,} "
        f"= {forward.total + backward.total:,}"
        if backward == forward
        else f"forward {forward.layer} + backward {backward.layer}",
    )
    lesson = ""
    if backward == forward:
        inner = f"({forward.lesson.split(' = ')[0]})" if forward.lesson else "one direction"
        lesson = f"2 * {inner} = 2 * {fmt(forward.total)} = {fmt(2 * forward.total)}"
    return Breakdown(
        f"Bidirectional({forward.layer})",
        terms,
        notes,
        family=Family.BIDIRECTIONAL,
        wrapped=forward,
        lesson=lesson,
    )


def time_distributed(inner: Breakdown) -> Breakdown:
    """TimeDistributed: the same layer applied at every step, so its weights count once."""
    notes = (f"one {inner.layer} shared by every time step: the sequence length does not count",)
    return Breakdown(
        f"TimeDistributed({inner.layer})",
        inner.terms,
        inner.notes + notes,
        family=Family.TIME_DISTRIBUTED,
        wrapped=inner,
    )


def spectral_normalization(inner: Breakdown) -> Breakdown:
    """SpectralNormalization: the wrapped layer plus `vector_u`, a power-iteration estimate of
    the kernel's top singular vector (1, outputs), updated without gradients."""
    kernel = inner["kernel"]
    outputs = kernel.shape[-1]
    u = term(
        "vector_u",
        (1, outputs),
        [("1", 1), ("outputs", outputs)],
        trainable=False,
        note="power-iteration state, not trained by gradients",
    )
    return Breakdown(
        f"SpectralNormalization({inner.layer})",
        (*inner.terms, u),
        inner.notes,
        family=Family.SPECTRAL_NORMALIZATION,
        wrapped=inner,
    )
