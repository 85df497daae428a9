"""The classic slips in counting parameters, computed from a Breakdown: the wrong numbers a
learner reaches by forgetting the bias, using the 2-D formula on Conv1D, dropping LSTM's factor
of 4 (GRU's 3), counting BatchNorm's moving statistics as trainable, or leaving out the input
channels. Pure: no keras, no widgets."""

from __future__ import annotations

from paramlab.terms import Breakdown, fmt

ASKS = ("total", "trainable", "non_trainable")


def _add(slips: dict[int, str], value: int, message: str, answer: int) -> None:
    if value != answer and value > 0 and value not in slips:
        slips[value] = message


def classic_slips(b: Breakdown, ask: str = "total") -> dict[int, str]:
    """Wrong answer -> what went wrong, for the quantity `ask` of breakdown `b`."""
    if ask not in ASKS:
        raise ValueError(f"`ask` must be one of {ASKS}. Received: ask={ask!r}")
    answer = getattr(b, ask)
    slips: dict[int, str] = {}
    names = {t.path: t for t in b.terms}
    bias = sum(t.count for t in b.terms if t.name == "bias")
    if bias and ask != "non_trainable":
        _add(
            slips, answer - bias, f"That leaves out the bias: {fmt(bias)} more parameters.", answer
        )
    if b.layer in ("Conv1D", "Conv2D") and "kernel" in names:
        kernel = names["kernel"]
        *window, channels, filters = kernel.shape
        k = window[0]
        with_bias = filters if bias else 0
        if b.layer == "Conv1D":
            for wrong in (k * k * filters, k * k * channels * filters):
                _add(
                    slips,
                    wrong + with_bias,
                    "That is the 2-D formula (kernel_size * kernel_size * ...). A Conv1D kernel "
                    f"is kernel_size x channels = {k} x {channels}: it spans every channel but "
                    "only kernel_size steps.",
                    answer,
                )
        dropped = kernel.count // channels
        _add(
            slips,
            dropped + with_bias,
            f"That leaves out the input channels: every filter spans all {channels} of them.",
            answer,
        )
    core = b.layer.removeprefix("Bidirectional(").removesuffix(")")
    gates = {"LSTM": 4, "GRU": 3}.get(core)
    if gates and answer % gates == 0:
        what = "four gates" if gates == 4 else "three gates"
        _add(
            slips,
            answer // gates,
            f"That is one gate's worth. {core} has {what}: multiply by {gates}.",
            answer,
        )
    if core == "GRU" and names.get("bias") and len(names["bias"].shape) == 2:
        extra = names["bias"].count // 2
        _add(
            slips,
            answer - extra,
            f"That is GRU with reset_after=False. Keras' default, reset_after=True, keeps a "
            f"second bias per gate: {fmt(extra)} more.",
            answer,
        )
    if b.layer.startswith("Bidirectional(") and answer % 2 == 0:
        _add(
            slips, answer // 2, "That is one direction. Bidirectional runs two copies: x 2.", answer
        )
    if b.layer == "BatchNormalization":
        stats = sum(t.count for t in b.terms if t.name in ("moving_mean", "moving_variance"))
        if ask == "trainable":
            _add(
                slips,
                answer + stats,
                "That counts moving_mean and moving_variance as trainable: they are updated by "
                "running averages, not by gradients.",
                answer,
            )
        if ask == "total":
            _add(
                slips,
                answer - stats,
                "That is PyTorch's count (gamma and beta only). Keras also counts moving_mean "
                "and moving_variance, as non-trainable parameters.",
                answer,
            )
    return slips
