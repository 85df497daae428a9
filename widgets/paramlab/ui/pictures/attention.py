"""AttentionPicture: one token's query meeting every key along the sequence, step by step.

The sliding-window idea applied to attention: where a convolution's kernel slides along the
steps, here the query moves along the tokens, and at each position it meets every key (or, with
a causal mask, every key up to it), filling one row of the score matrix. The same query and
key kernels serve every position, which is why the sequence length is in no weight's shape.
Which keys are met at each step is `paramlab.core.attention_steps.query_step`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle

from paramlab.core._style import BLUE, CELL_FILL, LINE_GREY, ORANGE, SKY
from paramlab.core.attention_steps import query_step
from paramlab.core.terms import counted
from paramlab.ui.pictures._canvas import (
    MAX_WIDTH,
    TEXT_PT,
    TITLE_PT,
    Picture,
    bare,
    label_cells,
    new_figure,
    place,
)
from paramlab.ui.pictures._controls import attach_stepper
from paramlab.ui.pictures._filmstrip import agg_figure
from paramlab.ui.pictures._words import AttentionSteps

SPLIT = 3.7  # inches: the tokens panel's region ends here, the score matrix's begins
LEFT_TOKENS, LEFT_SCORES, RIGHT = 0.7, 0.75, 0.15  # inches: tick labels beside each panel
GRID_CELL, GRID_MIN, GRID_MAX, PANEL_MIN = 0.3, 1.2, 2.3, 1.8  # inches: the score matrix
ROW_MIN, ROW_MAX, ROW_GAP = 0.22, 0.4, 0.05  # inches: a row of tokens; its gap to the edge
TITLE, PANEL_TITLE, BOTTOM = 0.8, 0.3, 0.55  # inches: three title lines; a panel's; tick labels
FRAME_TITLE, TITLE_X = 0.3, 0.1  # inches: a filmstrip frame's title; its left margin
DONE, CURRENT = 0.6, 1.0  # the score matrix's shades: rows already made, the current row


class AttentionPicture(AttentionSteps, Picture):
    """Top left, the tokens as queries; below them, the same tokens as keys. The current
    query (orange) has a line to each key it meets (blue); with `causal=True` the later keys
    are hatched, masked. Right, the seq_len x seq_len score matrix fills in row by row.

    The query's position is the only thing that moves: a slider steps it, back/next buttons
    nudge it and Play walks it along the sequence. `d_model`, `num_heads` and `key_dim` set
    the query and key kernels named in the title (from the MultiHeadAttention formula).
    """

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
        self._build()
        attach_stepper(self, self.seq_len, noun="query", interval=700)

    @property
    def lines(self) -> list[tuple[float, float]]:
        """Where the lines from the query end: (x, y) on each key met, in data units."""
        return [tuple(seg[-1]) for seg in self._artists.lines.get_segments()]

    def _layout(self) -> None:
        """Sizes in inches for `_draw`: the panels' height, a token row's height and the
        score matrix's side."""
        n = self.seq_len
        self._grid = min(max(GRID_CELL * n, GRID_MIN), GRID_MAX)
        self._panel_h = max(self._grid, PANEL_MIN)
        width = SPLIT - LEFT_TOKENS - RIGHT
        self._row = min(max(width / (n + 0.4), ROW_MIN), ROW_MAX)

    def _draw(self, fig: Figure, bottom: float) -> _Artists:
        """Both panels, their tick labels' lower edge `bottom` inches up `fig`."""
        n, row, panel_h, grid = self.seq_len, self._row, self._panel_h, self._grid
        ax = place(fig, LEFT_TOKENS, bottom + BOTTOM, SPLIT - LEFT_TOKENS - RIGHT, panel_h)
        room = MAX_WIDTH - SPLIT - LEFT_SCORES - RIGHT
        grid_left = SPLIT + LEFT_SCORES + (room - grid) / 2
        out_ax = place(fig, grid_left, bottom + BOTTOM + panel_h - grid, grid, grid)
        for a in (ax, out_ax):
            bare(a)
        ax.set_xlim(-0.2, n + 0.2)
        ax.set_ylim(0, panel_h)  # inches up the panel: rows keep their height however long
        key_y, query_y = ROW_GAP, panel_h - ROW_GAP - row
        label_cells(ax.xaxis, n, label="token position")
        ax.set_yticks([key_y + row / 2, query_y + row / 2], ["key", "query"])
        ax.yaxis.set_tick_params(labelsize=TEXT_PT, length=0, pad=4)
        ax.set_title("each query (top) meets the keys (bottom)", fontsize=TITLE_PT)
        for y in (key_y, query_y):
            cells = [Rectangle((x, y), 1, row) for x in range(n)]
            ax.add_collection(
                PatchCollection(cells, facecolor=CELL_FILL, edgecolor=LINE_GREY, linewidth=0.5)
            )
        met = ax.add_collection(
            PatchCollection([], facecolor=SKY, edgecolor=LINE_GREY, linewidth=0.5)
        )
        masked = ax.add_collection(
            PatchCollection([], facecolor="white", edgecolor=LINE_GREY, hatch="//", linewidth=0.5)
        )
        lines = ax.add_collection(LineCollection([], colors=BLUE, linewidths=1.2))
        query = ax.add_patch(
            Rectangle((0, query_y), 1, row, facecolor=ORANGE, alpha=0.6, edgecolor=ORANGE, lw=2)
        )
        out_ax.set_xlim(0, n)
        out_ax.set_ylim(n, 0)
        label_cells(out_ax.xaxis, n, label="key position")
        label_cells(out_ax.yaxis, n, label="query position")
        out_ax.set_title(f"scores ({self.num_heads} heads: one matrix each)", fontsize=TITLE_PT)
        scores = np.full((n, n), np.nan)
        image = out_ax.imshow(scores, cmap="Blues", vmin=0, vmax=1.4, extent=(0, n, n, 0))
        grid_cells = [Rectangle((x, y), 1, 1) for x in range(n) for y in range(n)]
        out_ax.add_collection(
            PatchCollection(grid_cells, facecolor="none", edgecolor=LINE_GREY, linewidth=0.4)
        )
        if self.causal:
            hidden = [Rectangle((x, y), 1, 1) for y in range(n) for x in range(y + 1, n)]
            out_ax.add_collection(
                PatchCollection(
                    hidden, facecolor="white", edgecolor=LINE_GREY, hatch="//", linewidth=0.4
                )
            )
        current = out_ax.add_patch(
            Rectangle((0, 0), n, 1, facecolor="none", edgecolor=BLUE, linewidth=2.5)
        )
        return _Artists(ax, out_ax, query, met, masked, lines, scores, image, current, key_y)

    def _build(self) -> None:
        self._layout()
        height = TITLE + PANEL_TITLE + self._panel_h + BOTTOM
        self.fig = new_figure(MAX_WIDTH, height)
        drawn = self._artists = self._draw(self.fig, 0.0)
        self.ax, self.out_ax = drawn.ax, drawn.out_ax
        self.query, self.current, self.score_image = drawn.query, drawn.current, drawn.image
        self._title(self.fig, height)

    def _title(self, fig: Figure, height: float) -> None:
        n = self.seq_len
        meets = "every key up to it (causal mask)" if self.causal else "every key"
        fig.suptitle(
            f"Self-attention over {counted(n, 'token')}: one query meets {meets}\n"
            f"query and key kernels {self.kernel_shape} (d_model, num_heads, key_dim), "
            f"the same at every position\n"
            f"{self.num_heads} heads x {n} x {n} scores: computed, not learned; "
            f"seq_len is in no kernel",
            fontsize=TITLE_PT,
            y=1 - 0.08 / height,
            va="top",
        )

    def _move(self, drawn: _Artists, position: int) -> None:
        step = query_step(self.seq_len, position, causal=self.causal)
        row, key_y = self._row, drawn.key_y
        drawn.query.set_x(position)
        drawn.met.set_paths([Rectangle((j, key_y), 1, row) for j in step.keys])
        drawn.masked.set_paths([Rectangle((j, key_y), 1, row) for j in step.masked])
        top = drawn.query.get_y()
        drawn.lines.set_segments(
            [[(position + 0.5, top), (j + 0.5, key_y + row)] for j in step.keys]
        )
        drawn.scores[:] = np.nan
        for q in range(position):
            drawn.scores[q, list(query_step(self.seq_len, q, causal=self.causal).keys)] = DONE
        drawn.scores[position, list(step.keys)] = CURRENT
        drawn.image.set_data(drawn.scores)
        drawn.current.set_bounds(0, position, step.scores, 1)

    def set_position(self, position: int) -> None:
        """Show the query at `position`: its lines, the keys it meets and its row of scores
        move in place, with one draw_idle."""
        self.check_position(position)
        self.position = position
        self._move(self._artists, position)
        self._set_alt(self.alt_at(position))
        self.fig.canvas.draw_idle()

    # The static stand-in: a filmstrip of the telling queries, drawn off-screen.

    def static_figure(self) -> Figure:
        frames = self.frames()
        self._layout()
        frame_h = FRAME_TITLE + PANEL_TITLE + self._panel_h + BOTTOM
        height = TITLE + frame_h * len(frames)
        fig = agg_figure(MAX_WIDTH, height)
        top = height - TITLE
        for frame in frames:
            y = (top - 0.05) / height
            fig.text(TITLE_X / MAX_WIDTH, y, self._frame_title(frame), fontsize=TITLE_PT, va="top")
            top -= frame_h
            self._move(self._draw(fig, top), frame.position)
        self._title(fig, height)
        return fig


class _Artists(NamedTuple):
    """What moves in one frame: the query, the keys it meets, its lines, the scores so far."""

    ax: Axes
    out_ax: Axes
    query: Rectangle
    met: PatchCollection
    masked: PatchCollection
    lines: LineCollection
    scores: np.ndarray
    image: AxesImage
    current: Rectangle
    key_y: float
