"""Which keys one query meets: the geometry of `AttentionPicture`, as plain arithmetic.

Self-attention over a sequence of `seq_len` tokens compares the query at position i with the
key at every position j: one score each, row i of the seq_len x seq_len score matrix (one such
matrix per head). With a causal mask (`use_causal_mask=True`, as in a GPT) the query meets only
the keys at j <= i; the later ones are masked out. As a convolution's kernel slides along the
steps, the same query and key kernels make every row, so seq_len is in no weight's shape.
"""

from __future__ import annotations

from dataclasses import dataclass

from paramlab.core import _checks


def positions(items: tuple[int, ...], noun: str) -> str:
    """Positions in words: 'key 0', 'keys 0..7', 'no key'."""
    if not items:
        return f"no {noun}"
    if len(items) == 1:
        return f"{noun} {items[0]}"
    return f"{noun}s {items[0]}..{items[-1]}"


@dataclass(frozen=True)
class QueryStep:
    """The query at position `query` of `seq_len`, with or without a causal mask."""

    seq_len: int
    query: int
    causal: bool = False

    @property
    def keys(self) -> tuple[int, ...]:
        """The key positions this query meets: all of them, or those up to it if causal."""
        return tuple(range(self.query + 1 if self.causal else self.seq_len))

    @property
    def masked(self) -> tuple[int, ...]:
        """The key positions the causal mask hides from this query (the later tokens)."""
        return tuple(range(self.query + 1, self.seq_len)) if self.causal else ()

    @property
    def scores(self) -> int:
        """Scores this query makes (per head): one per key it meets."""
        return len(self.keys)

    @property
    def scores_before(self) -> int:
        """Scores the earlier queries made (per head): the rows of the matrix already filled."""
        q = self.query
        return q * (q + 1) // 2 if self.causal else q * self.seq_len

    @property
    def words(self) -> str:
        """`query 3 meets keys 0..3 (4 scores; keys 4..7 masked)`."""
        masked = f"; {positions(self.masked, 'key')} masked" if self.masked else ""
        count = f"{self.scores} score{'' if self.scores == 1 else 's'}"
        return f"query {self.query} meets {positions(self.keys, 'key')} ({count}{masked})"


def query_step(seq_len: int, query: int, *, causal: bool = False) -> QueryStep:
    """The keys met by the query at `query` (0 .. seq_len - 1) in a sequence of `seq_len`.

    >>> query_step(8, 3, causal=True).words
    'query 3 meets keys 0..3 (4 scores; keys 4..7 masked)'
    """
    n = _checks.positive("seq_len", seq_len)
    q = _checks.integer("query", query)
    if not 0 <= q < n:
        raise ValueError(f"`query` must be a position from 0 to {n - 1}. Received: query={query!r}")
    return QueryStep(n, q, _checks.flag("causal", causal))
