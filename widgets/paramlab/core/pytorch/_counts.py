"""What a torch module holds, parameters and buffers apart, and the `state_dict()` they make.

`TorchCounts` is the result for modules with buffers (`batch_norm`, `sequential`); `counts` turns
a parameters-only `Breakdown` (`lstm`, `linear`, ...) into one.
"""

from __future__ import annotations

from dataclasses import dataclass

from paramlab.core.terms import Breakdown, Term, fmt

INT64_BUFFERS = ("num_batches_tracked",)
"""Buffers stored as int64 (8 bytes each); every other tensor here is float32 (4 bytes)."""


@dataclass(frozen=True)
class TorchCounts:
    """A torch module's parameters and buffers, and the `state_dict()` they make together.

    `parameters` holds what `module.named_parameters()` yields (all trainable), `buffers` what
    `module.named_buffers()` yields (terms marked non-trainable; empty for a module without
    buffers). `state_dict_keys` is torch's
    order: each module's parameters, then its buffers, submodule after submodule.
    """

    module: str
    parameters: Breakdown
    buffers: Breakdown
    state_dict_keys: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = self.parameters.term_names + self.buffers.term_names
        if not self.state_dict_keys:
            object.__setattr__(self, "state_dict_keys", names)
        elif sorted(self.state_dict_keys) != sorted(names):
            raise AssertionError(f"state_dict keys {self.state_dict_keys} are not {names}")

    @property
    def parameter_count(self) -> int:
        """`sum(p.numel() for p in module.parameters())`: the figure torch users quote."""
        return self.parameters.total

    @property
    def buffer_count(self) -> int:
        """`sum(b.numel() for b in module.buffers())`."""
        return self.buffers.total

    @property
    def state_dict_numel(self) -> int:
        """How many numbers `state_dict()` holds: parameters and buffers."""
        return self.parameter_count + self.buffer_count

    @property
    def state_dict_bytes(self) -> int:
        """Bytes of `state_dict()` in float32, int64 buffers at 8 bytes each."""
        terms = self.parameters.terms + self.buffers.terms
        return sum(t.count * (8 if _is_int64(t) else 4) for t in terms)

    def __getitem__(self, name: str) -> Term:
        for part in (self.parameters, self.buffers):
            if name in part.term_names:
                return part[name]
        raise KeyError(f"{self.module} has no parameter or buffer {name!r}")

    def __str__(self) -> str:
        lines = [f"{self.module}: {fmt(self.parameter_count)} parameters"]
        lines += [f"  {t}" for t in self.parameters.terms]
        lines.append(f"  parameters: {self.parameters.formula}")
        if self.buffers.terms:
            lines.append(f"  buffers (not parameters): {fmt(self.buffer_count)} numbers")
            lines += [
                f"  {t.path} {t.shape}: {t.formula}{' (int64)' if _is_int64(t) else ''}"
                for t in self.buffers.terms
            ]
        lines.append(
            f"  state_dict: {len(self.state_dict_keys)} entries, "
            f"{fmt(self.state_dict_numel)} numbers, {fmt(self.state_dict_bytes)} bytes"
        )
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _is_int64(t: Term) -> bool:
    return t.name.rsplit(".", 1)[-1] in INT64_BUFFERS


def counts(part: Breakdown | TorchCounts) -> TorchCounts:
    """A module with parameters only (`lstm`, `linear`, ...) as `TorchCounts` (no buffers)."""
    if isinstance(part, TorchCounts):
        return part
    if not isinstance(part, Breakdown):
        raise TypeError(
            "Expected a Breakdown or TorchCounts from paramlab.core.pytorch. "
            f"Received: part={part!r} (of type {type(part).__name__})"
        )
    return TorchCounts(part.layer, part, Breakdown("buffers", family=part.family), notes=part.notes)
