"""Filmstrips: a sliding window at the few positions that teach, for views without a kernel.

GitHub, nbviewer, an HTML or PDF export and an editor without the widget extension cannot move a
slider, so a sliding-window picture is shown there as frames: the first position, the next one,
one with the window over padding (when the configuration pads) and the last. With Keras'
padding the window is over padding at the first position (padding before) or the last (padding
after), so that frame is one of the others and says so in its title ("last, over padding").

`filmstrip_positions` is plain arithmetic (`paramlab.core.windows`); `agg_figure` and
`png_bytes` draw a filmstrip off-screen, on a canvas of its own, so the live ipympl figure is
never touched.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# The window's geometry and the filmstrip's positions are pure (paramlab.core.windows): the
# browser edition's SVG pictures use the same; re-exported here for the matplotlib pictures.
from paramlab.core.windows import (  # noqa: F401
    FIRST,
    LAST,
    NEXT,
    OVER_PADDING,
    Frame,
    WindowAxis,
    filmstrip_positions,
    frames_told,
)

FILMSTRIP_DPI = 96  # as on screen: 9 pt text is 12 px


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
