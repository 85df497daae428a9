"""Small parametrised layers: PReLU, STFTSpectrogram, and keras.applications' LayerScale."""

from __future__ import annotations

from collections.abc import Sequence

from paramlab.core import _checks
from paramlab.core.terms import Breakdown, Family, term


def prelu(input_shape: Sequence[int], *, shared_axes: Sequence[int] | None = None) -> Breakdown:
    """PReLU: one learned slope per input element, except along `shared_axes` (1-based, as in
    Keras: axis 1 is the first axis after the batch)."""
    dims = [_checks.positive("input_shape", d) for d in input_shape]
    shared = set()
    for axis in shared_axes or ():
        a = _checks.integer("shared_axes", axis)
        if not 1 <= a <= len(dims):
            raise ValueError(
                f"`shared_axes` counts axes from 1 (after the batch) to {len(dims)}. "
                f"Received: shared_axes={list(shared_axes or ())}"
            )
        shared.add(a)
    shape = tuple(1 if i + 1 in shared else d for i, d in enumerate(dims))
    factors = [(f"axis_{i + 1}", d) for i, d in enumerate(shape) if d != 1] or [("1", 1)]
    note = "one slope per element" if not shared else f"shared along axes {sorted(shared)}"
    return Breakdown("PReLU", (term("alpha", shape, factors, note=note),), family=Family.PRELU)


def stft_spectrogram(
    frame_length: int, *, fft_length: int | None = None, mode: str = "log"
) -> Breakdown:
    """STFTSpectrogram: the Fourier transform as two convolution kernels (real and imaginary
    parts), each (frame_length, 1, fft_length // 2 + 1). Trainable only if the layer is."""
    n = _checks.positive("frame_length", frame_length)
    fft = (
        (1 << (n - 1).bit_length())
        if fft_length is None
        else _checks.positive("fft_length", fft_length)
    )
    if fft < n:
        raise ValueError(
            "`fft_length` should be not less than `frame_length`. "
            f"Received: fft_length={fft}, frame_length={n}"
        )
    m = _checks.choice("mode", mode, ("log", "magnitude", "psd", "real", "imag", "angle", "stft"))
    bins = fft // 2 + 1
    factors = [("frame_length", n), ("fft_length // 2 + 1", bins)]
    names = [k for k, keep in (("real_kernel", m != "imag"), ("imag_kernel", m != "real")) if keep]
    terms = tuple(term(k, (n, 1, bins), factors) for k in names)
    notes = (f"{bins} frequency bins from an FFT of {fft}",)
    return Breakdown("STFTSpectrogram", terms, notes, family=Family.STFT_SPECTROGRAM)


def layer_scale(projection_dim: int) -> Breakdown:
    """ConvNeXt's LayerScale (keras.applications.convnext): one learned factor per channel."""
    d = _checks.positive("projection_dim", projection_dim)
    note = "the layer keeps it as `gamma` but does not name it, so Keras calls it 'variable'"
    scale = term("variable", (d,), [("projection_dim", d)], note=note)
    return Breakdown("LayerScale", (scale,), family=Family.LAYER_SCALE)
