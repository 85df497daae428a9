"""AttentionPicture and its geometry (`paramlab.core.attention_steps`), headless: which keys a
query meets (checked against the scores a real Keras MultiHeadAttention returns, with and
without its causal mask), the artists moving in place with one draw per step, the step
controls, the 800 px fit, readable labels, and the static filmstrip with its text."""

from __future__ import annotations

import io

import numpy as np
import PIL.Image
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ipywidgets.widgets import widget_link
from keras import layers as L
from matplotlib.backends.backend_agg import FigureCanvasAgg

from paramlab.core.attention_steps import QueryStep, positions, query_step
from paramlab.ui import _display
from paramlab.ui.pictures import AttentionPicture, _canvas


def count_draws(picture, monkeypatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(picture.fig.canvas, "draw_idle", lambda: calls.append(1))
    return calls


def texts(fig) -> list:
    """Every piece of text the figure draws: titles, axis labels, tick labels."""
    found = [fig._suptitle] if fig._suptitle is not None else []
    for ax in fig.axes:
        found += [ax.title, ax.xaxis.label, ax.yaxis.label]
        found += ax.get_xticklabels() + ax.get_yticklabels()
    return [t for t in found if t and t.get_text()]


def captured(picture, monkeypatch) -> tuple[dict, dict]:
    shown: list[tuple[dict, dict]] = []
    monkeypatch.setattr(
        _display,
        "display",
        lambda bundle, metadata=None, raw=False: shown.append((bundle, metadata)),
    )
    picture._ipython_display_()
    (only,) = shown
    return only


# -- the geometry -----------------------------------------------------------------------------


def keras_scores(seq_len: int, causal: bool) -> np.ndarray:
    """(heads, query, key) attention weights of a real MultiHeadAttention on random tokens."""
    layer = L.MultiHeadAttention(2, 4)
    x = np.random.default_rng(seq_len).normal(size=(1, seq_len, 8)).astype("float32")
    _, scores = layer(x, x, return_attention_scores=True, use_causal_mask=causal)
    return np.asarray(scores)[0]


@pytest.mark.filterwarnings("ignore:You are using a softmax over axis 3")  # one key: always 1
@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("seq_len", [1, 2, 7])
def test_the_keys_met_are_those_keras_scores(seq_len, causal):
    scores = keras_scores(seq_len, causal)
    assert scores.shape == (2, seq_len, seq_len)  # one matrix per head, seq_len x seq_len
    for q in range(seq_len):
        step = query_step(seq_len, q, causal=causal)
        met = [k for k in range(seq_len) if (scores[:, q, k] > 0).all()]
        hidden = [k for k in range(seq_len) if (scores[:, q, k] == 0).all()]
        assert (tuple(met), tuple(hidden)) == (step.keys, step.masked)
        assert step.scores == len(met)
        assert step.scores_before == int((scores[0, :q] > 0).sum())  # the rows filled in


@given(seq_len=st.integers(1, 40), data=st.data(), causal=st.booleans())
def test_every_key_is_met_or_masked_once(seq_len, data, causal):
    q = data.draw(st.integers(0, seq_len - 1))
    step = query_step(seq_len, q, causal=causal)
    assert sorted(step.keys + step.masked) == list(range(seq_len))
    assert q in step.keys  # a query always meets its own key
    assert step.scores_before == sum(
        query_step(seq_len, earlier, causal=causal).scores for earlier in range(q)
    )


def test_the_steps_in_words():
    assert query_step(8, 3, causal=True).words == (
        "query 3 meets keys 0..3 (4 scores; keys 4..7 masked)"
    )
    assert query_step(8, 0, causal=True).words == "query 0 meets key 0 (1 score; keys 1..7 masked)"
    assert query_step(8, 6, causal=True).words.endswith("(7 scores; key 7 masked)")
    assert query_step(5, 4).words == "query 4 meets keys 0..4 (5 scores)"
    assert positions((), "key") == "no key"
    assert query_step(3, 1) == QueryStep(3, 1, False)


@pytest.mark.parametrize(
    "args,kw,error,message",
    [
        ((8, 8), {}, ValueError, r"`query` must be a position from 0 to 7\. Received: query=8"),
        ((8, -1), {}, ValueError, r"Received: query=-1"),
        ((0, 0), {}, ValueError, r"strictly positive integer\. Received: seq_len=0"),
        ((8, 1.0), {}, TypeError, r"must be an integer\. Received: query=1\.0"),
        ((8, 1), {"causal": 1}, TypeError, r"must be True or False\. Received: causal=1"),
    ],
)
def test_bad_steps_are_refused_in_keras_voice(args, kw, error, message):
    with pytest.raises(error, match=message):
        query_step(*args, **kw)


# -- the live picture -------------------------------------------------------------------------


def met_keys(p: AttentionPicture) -> list[float]:
    return [path.vertices[0][0] for path in p._artists.met.get_paths()]


def masked_keys(p: AttentionPicture) -> list[float]:
    return [path.vertices[0][0] for path in p._artists.masked.get_paths()]


@pytest.mark.parametrize("causal", [False, True])
def test_the_query_walks_and_meets_its_keys(causal, monkeypatch):
    p = AttentionPicture(8, causal=causal)
    artists = (list(p.ax.patches), list(p.ax.collections), list(p.out_ax.images))
    draws = count_draws(p, monkeypatch)
    for q in (1, 5, 7, 0):
        p.slider.value = q
        step = query_step(8, q, causal=causal)
        assert p.position == q and p.query.get_x() == q
        assert met_keys(p) == list(step.keys) and masked_keys(p) == list(step.masked)
        assert [x for x, _ in p.lines] == [k + 0.5 for k in step.keys]  # one line per key
        scores = p.score_image.get_array()
        assert int((scores == 1.0).sum()) == step.scores  # the current row
        assert int((scores == 0.6).sum()) == step.scores_before  # the rows before it
        assert (p.current.get_y(), p.current.get_width()) == (q, step.scores)
        assert f"{step.words}: row {q} of the 8 x 8 score matrix" in p.text
    assert draws == [1, 1, 1, 1]  # one draw per step ...
    assert (list(p.ax.patches), list(p.ax.collections), list(p.out_ax.images)) == artists


def test_lines_run_from_the_query_to_each_key():
    p = AttentionPicture(6)
    p.slider.value = 2
    for (x0, y0), (_, y1) in p._artists.lines.get_segments():
        assert x0 == 2.5 and y0 == p.query.get_y()  # from the query's cell ...
        assert y1 < y0  # ... down to a key's


def test_kernels_in_the_title_are_keras_own():
    p = AttentionPicture(8, d_model=32, num_heads=2, key_dim=16, causal=True)
    layer = L.MultiHeadAttention(2, 16)
    layer.build((None, 8, 32), (None, 8, 32))
    assert p.kernel_shape == tuple(layer.query_dense.kernel.shape) == (32, 2, 16)
    assert tuple(layer.key_dense.kernel.shape) == p.kernel_shape
    title = p.fig._suptitle.get_text()
    assert "query and key kernels (32, 2, 16) (d_model, num_heads, key_dim)" in title
    assert "every key up to it (causal mask)" in title and "2 heads x 8 x 8 scores" in title
    assert (p.ax.get_xlabel(), p.out_ax.get_xlabel(), p.out_ax.get_ylabel()) == (
        "token position",
        "key position",
        "query position",
    )
    assert [t.get_text() for t in p.ax.get_yticklabels()] == ["key", "query"]


def test_controls_are_play_back_slider_next():
    p = AttentionPicture(5)
    assert isinstance(p.play_link, widget_link.Link)  # jslink: animation stays in the browser
    assert (p.play_link.source, p.play_link.target) == ((p.play, "value"), (p.slider, "value"))
    assert (p.slider.min, p.slider.max, p.play.max) == (0, 4, 4)
    assert p.controls == [p.play, p.stepper.back, p.slider, p.stepper.forward]
    p.stepper.back.click()
    assert p.position == 0
    p.stepper.forward.click()
    p.stepper.forward.click()
    assert p.position == 2 and "query 2 meets keys 0..4" in p.text
    box = p.widget()
    controls, canvas, alt = box.children[-3:]
    assert list(controls.children) == p.controls and canvas is p.fig.canvas
    assert alt is p.alt and "role='note'" in alt.value and "Attention picture" in alt.value


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match=r"at most 32 tokens\. Received: seq_len=33"):
        AttentionPicture(33)
    with pytest.raises(ValueError, match=r"Received: num_heads=0"):
        AttentionPicture(4, num_heads=0)
    with pytest.raises(ValueError, match=r"from 0 to 3\. Received: position=4"):
        AttentionPicture(4).set_position(4)


def test_an_error_in_a_step_is_shown_in_the_widget(monkeypatch):
    p = AttentionPicture(6)

    def broken():
        raise RuntimeError("canvas gone")

    monkeypatch.setattr(p.fig.canvas, "draw_idle", broken)
    p.slider.value = 2
    assert p.error is not None and p.text == p.error
    assert "Something went wrong drawing this step (RuntimeError: canvas gone)" in p.text
    monkeypatch.setattr(p.fig.canvas, "draw_idle", lambda: None)
    p.slider.value = 3
    assert p.error is None and "query 3 meets" in p.text


SIZES = {
    "course": lambda: AttentionPicture(8),
    "causal": lambda: AttentionPicture(8, causal=True),
    "longest": lambda: AttentionPicture(32, causal=True),
    "one_token": lambda: AttentionPicture(1),
}


@pytest.mark.parametrize("name", SIZES)
def test_fits_800_px_and_is_readable(name):
    p = SIZES[name]()
    width, height = p.fig.get_size_inches() * p.fig.dpi
    assert p.fig.dpi == _canvas.DPI and width <= 672 and height <= 500
    canvas = p.fig.canvas
    assert (canvas.layout.width, canvas.layout.max_width, canvas.layout.height) == (
        "100%",
        "100%",
        "auto",
    )
    box = p.widget()
    assert _canvas.PICTURE_CLASS in box._dom_classes and box.children[0].value == _canvas.FIT_CSS
    assert not [w for w in [*p.controls, canvas, box] if (w.layout.width or "").endswith("px")]
    found = texts(p.fig)
    assert len(found) > 10
    for text in found:
        assert text.get_fontsize() * p.fig.dpi / 72 >= 11.5, text.get_text()
    FigureCanvasAgg(p.fig).draw()  # and nothing drawn outside the figure
    renderer, box = p.fig.canvas.get_renderer(), p.fig.bbox
    for text in found:
        extent = text.get_window_extent(renderer)
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1 + 0.5, text.get_text()
        assert box.y0 <= extent.y0 and extent.y1 <= box.y1 + 0.5, text.get_text()


# -- the static stand-in ----------------------------------------------------------------------


@pytest.mark.parametrize("causal", [False, True])
def test_filmstrip_shows_the_first_next_and_last_query(causal):
    p = AttentionPicture(8, causal=causal)
    assert [(f.position, f.label) for f in p.frames()] == [(0, "first"), (1, "next"), (7, "last")]
    fig = p.static_figure()
    assert isinstance(fig.canvas, FigureCanvasAgg) and fig is not p.fig
    assert len(fig.axes) == 2 * 3
    live = AttentionPicture(8, causal=causal)
    for frame, ax, out_ax in zip(p.frames(), fig.axes[::2], fig.axes[1::2], strict=True):
        live.set_position(frame.position)
        query = [patch for patch in ax.patches if patch.get_width() == 1]
        assert [patch.get_x() for patch in query] == [frame.position]
        (image,) = out_ax.images
        assert np.array_equal(image.get_array(), live.score_image.get_array(), equal_nan=True)
    titles = [t.get_text() for t in fig.texts if t is not fig._suptitle]
    if causal:
        assert titles == [
            "first: query 0 meets key 0 (1 score; keys 1..7 masked)",
            "next: query 1 meets keys 0..1 (2 scores; keys 2..7 masked)",
            "last: query 7 meets keys 0..7 (8 scores)",
        ]
    else:
        assert titles[2] == "last: query 7 meets keys 0..7 (8 scores)"
    assert p.static_text.startswith(
        f"Attention picture: 8 tokens{', causal mask' if causal else ''}, 4 heads, query and key "
        "kernels (64, 4, 16) at every position, shown in 3 frames. Frame 1, first: query 0"
    )
    p.slider.value = 4
    assert "Frame 3, last: query 7" in p.static_text and "query 4" in p.text


@pytest.mark.parametrize("name", SIZES)
def test_static_png_is_small_decodes_and_is_stable(name):
    png = SIZES[name]().static_png()
    assert len(png) < 60_000, f"{len(png):,} bytes"
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with PIL.Image.open(io.BytesIO(png)) as image:
        assert image.size[0] <= 672
        assert len(image.convert("RGB").getcolors(256) or ()) > 8
    assert SIZES[name]().static_png() == png


def test_bundle_shows_the_filmstrip_with_its_alt(monkeypatch):
    p = AttentionPicture(8, causal=True)
    live_draws: list[int] = []
    monkeypatch.setattr(p.fig.canvas, "draw_idle", lambda: live_draws.append(1))
    bundle, metadata = captured(p, monkeypatch)
    assert bundle["text/plain"] == p.static_text
    assert metadata["image/png"] == {"alt": p.static_text}
    assert "<img " in bundle["text/html"] and live_draws == []


@pytest.mark.parametrize("name", ["causal", "longest"])
def test_nothing_in_the_filmstrip_is_cut_off(name):
    fig = SIZES[name]().static_figure()
    fig.canvas.draw()
    renderer, box = fig.canvas.get_renderer(), fig.bbox
    found = [*fig.texts, *texts(fig)]
    assert len(found) > 20
    for text in found:
        extent = text.get_window_extent(renderer)
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1 + 0.5, text.get_text()
        assert box.y0 <= extent.y0 and extent.y1 <= box.y1 + 0.5, text.get_text()
        assert text.get_fontsize() * fig.dpi / 72 >= 11.5, text.get_text()
