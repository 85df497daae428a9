"""What a picture shows without a kernel: a filmstrip of its telling positions (or, for the
confusion picture, both readings), drawn off-screen as one small PNG, with a text alternative
that names each frame, inside the text/html stand-in as <img alt=...>. Headless."""

from __future__ import annotations

import base64
import html
import io
import re

import PIL.Image
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from keras import layers as L
from matplotlib.backends.backend_agg import FigureCanvasAgg

from paramlab.ui import _display, _stand_in
from paramlab.ui.pictures import (
    ConfusionPicture,
    Conv1DPicture,
    Conv2DPicture,
    _canvas,
    _filmstrip,
    filmstrip_positions,
)

MAX_BYTES = 60_000

# The course's pictures (notebooks 02 and 03), the benchmark's, and the biggest ones allowed.
PICTURES = {
    "conv1d_course": lambda: Conv1DPicture(12, 4, 3, padding="same", strides=2),
    "conv1d_bench": lambda: Conv1DPicture(32, 8, 5, padding="same"),
    "conv1d_causal_dilated": lambda: Conv1DPicture(10, 4, 3, padding="causal", dilation_rate=2),
    "conv1d_biggest": lambda: Conv1DPicture(64, 32, 9, padding="same", dilation_rate=3),
    "conv2d_default": lambda: Conv2DPicture(),
    "conv2d_bench": lambda: Conv2DPicture(12, 12, 3, 3),
    "conv2d_biggest": lambda: Conv2DPicture(24, 24, 64, 5, padding="same", strides=2),
    "confusion_course": lambda: ConfusionPicture(size=45, kernel_size=5, filters=32),
}
SLIDING = [name for name in PICTURES if not name.startswith("confusion")]


def frames_of(picture) -> list[tuple[int, str]]:
    return [(f.position, f.label) for f in picture.frames()]


def decoded(png: bytes) -> PIL.Image.Image:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = PIL.Image.open(io.BytesIO(png))
    image.load()
    return image


def captured(picture, monkeypatch) -> tuple[dict, dict]:
    shown: list[tuple[dict, dict]] = []

    def fake_display(bundle, metadata=None, raw=False):
        assert raw
        shown.append((bundle, metadata or {}))

    monkeypatch.setattr(_display, "display", fake_display)
    picture._ipython_display_()
    (only,) = shown
    return only


# -- which positions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args,kw,expected",
    [
        ((100, 3), {}, [(0, "first"), (1, "next"), (97, "last")]),
        (
            (12, 3),
            {"padding": "same", "strides": 2},
            [(0, "first"), (1, "next"), (5, "last, over padding")],
        ),
        ((10, 3), {"padding": "same"}, [(0, "first, over padding"), (1, "next"), (9, "last")]),
        (
            (10, 3),
            {"padding": "causal", "dilation_rate": 2},
            [(0, "first, over padding"), (1, "next"), (9, "last")],
        ),
        ((20, 3), {"strides": 4}, [(0, "first"), (1, "next"), (4, "last")]),
        ((20, 3), {"dilation_rate": 4}, [(0, "first"), (1, "next"), (11, "last")]),
        ((3, 3), {}, [(0, "first, last")]),
        ((4, 3), {}, [(0, "first"), (1, "next, last")]),
        ((1, 3), {"padding": "same"}, [(0, "first, last, over padding")]),
        (((6, 6), 3), {}, [(0, "first"), (1, "next"), (15, "last")]),
        (((7, 7), 3), {"padding": "same"}, [(0, "first, over padding"), (1, "next"), (48, "last")]),
        (
            ((24, 24), 5),
            {"padding": "same", "strides": 2},
            [(0, "first, over padding"), (1, "next"), (143, "last")],
        ),
        (((6, 4), 3), {}, [(0, "first"), (1, "next"), (7, "last")]),
    ],
)
def test_filmstrip_positions(args, kw, expected):
    assert [(f.position, f.label) for f in filmstrip_positions(*args, **kw)] == expected


@given(
    steps=st.integers(1, 40),
    kernel=st.integers(1, 6),
    strides=st.integers(1, 4),
    padding=st.sampled_from(["valid", "same", "causal"]),
    dilation=st.integers(1, 3),
)
def test_filmstrip_positions_are_the_telling_ones(steps, kernel, strides, padding, dilation):
    assume(strides == 1 or dilation == 1)
    assume(padding != "valid" or (kernel - 1) * dilation + 1 <= steps)
    kw = {"padding": padding, "strides": strides, "dilation_rate": dilation}
    frames = filmstrip_positions(steps, kernel, **kw)
    outputs = L.Conv1D(1, kernel, **kw).compute_output_shape((None, steps, 1))[1]
    positions = [f.position for f in frames]
    assert positions == sorted({0, min(1, outputs - 1), outputs - 1})
    assert [f.roles for f in frames if "first" in f.roles] == [frames[0].roles]
    assert "last" in frames[-1].roles
    window = _filmstrip.WindowAxis(steps, kernel, padding, strides, dilation)
    padded = [f for f in frames if "over padding" in f.roles]
    if sum(window.pads):  # one frame is over padding, and it really is
        (frame,) = padded
        assert any(not 0 <= x < steps for x in window.taps(frame.position))
        assert "padding" in window.describe(frame.position, "input step")
    else:
        assert not padded
        assert all("padding" not in window.describe(p, "step") for p in positions)


def test_describe_names_taps_and_padding():
    window = _filmstrip.WindowAxis(12, 3, "same", 2)
    assert window.describe(0, "input step") == "input steps 0..2"
    assert window.describe(5, "input step") == "input steps 10..11 + padding"
    causal = _filmstrip.WindowAxis(10, 3, "causal", 1, 2)
    assert causal.describe(0, "input step") == "padding + input step 0"
    assert causal.describe(9, "input step") == "input steps 5, 7, 9"
    wide = _filmstrip.WindowAxis(64, 9, "same", 1, 3)
    assert wide.describe(63, "step") == "steps 51, 54, ..., 63 + padding"


# -- the filmstrip figures ----------------------------------------------------------------------


def test_conv1d_filmstrip_frames_show_the_window_and_the_output_so_far():
    p = Conv1DPicture(12, 4, 3, padding="same", strides=2)
    assert frames_of(p) == [(0, "first"), (1, "next"), (5, "last, over padding")]
    fig = p.static_figure()
    assert isinstance(fig.canvas, FigureCanvasAgg)
    assert len(fig.axes) == 2 * 3  # input grid and output row per frame
    live = Conv1DPicture(12, 4, 3, padding="same", strides=2)
    for (position, _), ax, out_ax in zip(frames_of(p), fig.axes[::2], fig.axes[1::2], strict=True):
        live.set_position(position)
        assert [t.get_x() for t in ax.patches] == [t.get_x() for t in live._taps]
        filled, current = out_ax.patches
        assert filled.get_width() == position and current.get_x() == position
    titles = [t.get_text() for t in fig.texts if t is not fig._suptitle]
    assert titles == [
        "first: output step 0 of 6 covers input steps 0..2",
        "next: output step 1 of 6 covers input steps 2..4",
        "last, over padding: output step 5 of 6 covers input steps 10..11 + padding",
    ]
    assert "padding='same', strides=2" in fig._suptitle.get_text()


def test_conv2d_filmstrip_frames_show_the_window_and_the_map_so_far():
    p = Conv2DPicture(7, 7, 3, 3, padding="same")
    assert frames_of(p) == [(0, "first, over padding"), (1, "next"), (48, "last")]
    fig = p.static_figure()
    assert len(fig.axes) == 2 * 3
    live = Conv2DPicture(7, 7, 3, 3, padding="same")
    for (position, _), ax, out_ax in zip(frames_of(p), fig.axes[::2], fig.axes[1::2], strict=True):
        live.set_position(position)
        windows = [patch.get_xy() for patch in ax.patches]
        assert sorted(windows) == sorted(w.get_xy() for w in live._windows)
        (image,) = out_ax.images
        shown = image.get_array()
        assert int((shown == 0.6).sum()) == position and int((shown == 1.0).sum()) == 1
    frame_titles = [t.get_text() for t in fig.texts if t is not fig._suptitle]
    assert frame_titles == [
        "first, over padding: output cell (0, 0) of 7 x 7 covers padding + rows 0..1, "
        "padding + columns 0..1",
        "next: output cell (0, 1) of 7 x 7 covers padding + rows 0..1, columns 0..2",
        "last: output cell (6, 6) of 7 x 7 covers rows 5..6 + padding, columns 5..6 + padding",
    ]


def test_confusion_static_image_has_both_readings():
    p = ConfusionPicture()  # the course's: 45 x 45, kernel 5, 32 filters
    assert (p.size, p.kernel_size, p.filters) == (45, 5, 32)
    fig = p.static_figure()
    assert isinstance(fig.canvas, FigureCanvasAgg) and fig is not p.fig
    conv1d, conv2d = fig.axes
    assert "kernel (5, 45, 32) = 7,200 (+32 = 7,232)" in conv1d.get_title()
    assert "kernel (5, 5, 1, 32) = 800 (+32 = 832)" in conv2d.get_title()
    (window1,) = conv1d.patches
    (window2,) = conv2d.patches
    assert (window1.get_width(), window1.get_height()) == (45, 5)  # the whole row of channels
    assert (window2.get_width(), window2.get_height()) == (5, 5)
    assert "7,232 and 832 parameters" in p.static_text
    assert "7,200 weights" in p.static_text and "800 weights" in p.static_text


def test_confusion_counts_follow_the_formulas():
    p = ConfusionPicture(size=28, kernel_size=3, filters=8)
    titles = [ax.get_title() for ax in p.static_figure().axes]
    assert "kernel (3, 28, 8) = 672 (+8 = 680)" in titles[0]
    assert "kernel (3, 3, 1, 8) = 72 (+8 = 80)" in titles[1]


@pytest.mark.parametrize("name", PICTURES)
def test_static_pngs_are_small_and_decode(name):
    p = PICTURES[name]()
    fig = p.static_figure()
    frames = len(p.frames()) if name in SLIDING else 1
    assert len(fig.axes) == 2 * frames
    png = p.static_png()
    assert len(png) < MAX_BYTES, f"{name}: {len(png):,} bytes"
    with decoded(png) as image:
        width, height = fig.get_size_inches() * _canvas.DPI
        assert image.size == (round(width), round(height))
        assert image.size[0] <= 672  # no wider than the live picture
        colours = image.convert("RGB").getcolors(256)
        assert colours is not None and len(colours) > 8  # a picture, not a blank


WRAPPED = {
    "conv1d_one_step": lambda: Conv1DPicture(1, 1, 3, padding="same"),
    "conv2d_one_cell": lambda: Conv2DPicture(1, 1, 1, 3, padding="same"),
}


@pytest.mark.parametrize("name", [*PICTURES, *WRAPPED])
def test_nothing_is_cut_off(name):
    fig = {**PICTURES, **WRAPPED}[name]().static_figure()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    for text in fig.texts + [t for ax in fig.axes for t in (ax.title, ax._left_title)]:
        if text.get_text():
            extent = text.get_window_extent(renderer)
            assert box.x0 <= extent.x0 and extent.x1 <= box.x1, text.get_text()
            assert box.y0 <= extent.y0 and extent.y1 <= box.y1, text.get_text()
    if name in WRAPPED:  # a title too long for one line is broken before "covers"
        assert any("\ncovers " in t.get_text() for t in fig.texts)


@pytest.mark.parametrize("name", PICTURES)
def test_static_labels_are_readable(name):
    fig = PICTURES[name]().static_figure()
    found = [fig._suptitle] if fig._suptitle is not None else []
    found += list(fig.texts)
    for ax in fig.axes:
        found += [ax.title, ax._left_title, ax.xaxis.label, ax.yaxis.label]
        found += ax.get_xticklabels() + ax.get_yticklabels()
    found = [t for t in found if t.get_text()]
    assert len(found) > 10
    for text in found:  # 9 pt at 96 dpi is 12 px
        assert text.get_fontsize() * fig.dpi / 72 >= 11.5, text.get_text()


def test_the_same_picture_gives_the_same_bytes():
    one = Conv1DPicture(12, 4, 3, padding="same", strides=2).static_png()
    two = Conv1DPicture(12, 4, 3, padding="same", strides=2).static_png()
    assert one == two  # nbval compares text/html, which holds these bytes
    assert b"Software" not in one and b"matplotlib" not in one and b"tIME" not in one


# -- the text alternative ----------------------------------------------------------------------


def test_conv1d_text_alternative_names_every_frame():
    p = Conv1DPicture(12, 4, 3, padding="same", strides=2)
    text = p.static_text
    assert text.startswith("Conv1D picture: 12 steps x 4 channels, 1 padding step, shown in 3")
    assert "Frame 1, first: output step 0 of 6 covers input steps 0..2." in text
    assert "Frame 2, next: output step 1 of 6 covers input steps 2..4." in text
    assert "Frame 3, last, over padding: output step 5 of 6 covers input steps 10..11 + " in text
    assert "the kernel spans all 4 channels" in text and "filled in" in text
    p.slider.value = 4
    assert p.static_text == text  # the filmstrip does not follow the slider
    assert "output step 4 of 6" in p.text  # the live line does


def test_conv2d_text_alternative_names_every_frame():
    text = Conv2DPicture().static_text
    assert text.startswith("Conv2D picture: a 3 x 3 x 3 kernel over a 6 x 6 x 3 image")
    assert "shown in 3 frames" in text
    for i, label in enumerate(["first", "next", "last"], 1):
        assert f"Frame {i}, {label}: output cell" in text
    assert "(3, 3) of 4 x 4 covers rows 3..5, columns 3..5" in text


# -- the display bundle -------------------------------------------------------------------------


def test_image_html_escapes_the_alt():
    out = _display.image_html(b"\x89PNG", 'a "b" <c> & d')
    assert 'alt="a &quot;b&quot; &lt;c&gt; &amp; d"' in out
    assert 'src="data:image/png;base64,iVBORw=="' in out
    assert _display.STAND_IN_NOTE in out


@pytest.mark.parametrize("name", ["conv1d_course", "conv2d_default", "confusion_course"])
def test_bundle_shows_the_image_with_its_alt_where_no_widget_manager_runs(name, monkeypatch):
    p = PICTURES[name]()
    bundle, metadata = captured(p, monkeypatch)
    assert _stand_in.WIDGET_VIEW in bundle  # JupyterLab ranks it first while the kernel lives
    png = p.static_png()
    assert bundle["image/png"] == base64.b64encode(png).decode("ascii")
    assert bundle["text/plain"] == p.static_text
    assert metadata["image/png"] == {"alt": p.static_text}
    assert metadata[_stand_in.STAND_IN_KEY] == {"stand_in": True}
    page = bundle["text/html"]
    (img,) = re.findall(r"<img [^>]*>", page)
    alt = re.search(r'alt="([^"]*)"', img).group(1)
    assert html.unescape(alt) == p.static_text
    data = re.search(r'src="data:image/png;base64,([^"]+)"', img).group(1)
    assert base64.b64decode(data) == png


def test_filmstrip_is_drawn_once_and_leaves_the_live_figure_alone(monkeypatch):
    p = Conv1DPicture(12, 4, 3, padding="same", strides=2)
    p.slider.value = 3
    canvas, size, axes = p.fig.canvas, tuple(p.fig.get_size_inches()), list(p.fig.axes)
    taps = [t.get_x() for t in p._taps]
    renders: list[int] = []
    real = _filmstrip.png_bytes
    monkeypatch.setattr(_canvas, "png_bytes", lambda fig: renders.append(1) or real(fig))
    live_draws: list[int] = []
    monkeypatch.setattr(canvas, "draw_idle", lambda: live_draws.append(1))
    first, _ = captured(p, monkeypatch)
    assert live_draws == [] and renders == [1]
    assert p.fig.canvas is canvas and tuple(p.fig.get_size_inches()) == size
    assert list(p.fig.axes) == axes and [t.get_x() for t in p._taps] == taps
    assert p.position == p.slider.value == 3 and "output step 3 of 6" in p.text
    for k in (4, 5, 0):  # the live picture still moves with one draw per step ...
        p.slider.value = k
    assert live_draws == [1, 1, 1] and renders == [1]  # ... and draws no filmstrip
    again, _ = captured(p, monkeypatch)
    assert renders == [1] and again["text/html"] == first["text/html"]
