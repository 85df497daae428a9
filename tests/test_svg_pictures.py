"""The browser edition's pictures (SVG, `paramlab.ui.pictures.svg`): they import and step with
numpy, matplotlib and ipympl blocked, and at every position they draw what the pure geometry
says (`paramlab.core.windows`, `paramlab.core.attention_steps`), as the matplotlib pictures do,
in the same words."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paramlab.core.attention_steps import query_step
from paramlab.ui.pictures import attention, conv1d, conv2d, svg

NS = "{http://www.w3.org/2000/svg}"


def shapes(markup: str, kind: str) -> list[dict[str, str]]:
    root = ET.fromstring(markup)
    assert root.get("role") == "img" and root.get("aria-label")
    return [r.attrib for r in root.iter(f"{NS}rect") if r.get("class") == kind]


def tap_steps(picture) -> list[int]:
    return [int(a["data-step"]) for a in shapes(picture.svg.value, "tap")]


BLOCKED = textwrap.dedent(
    """
    import importlib.abc, json, sys
    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] in {"numpy", "matplotlib", "ipympl", "PIL", "keras",
                                      "tensorflow", "scipy"}:
                raise ImportError(f"blocked: {name}")
    sys.meta_path.insert(0, Block())
    import paramlab
    from paramlab.core.windows import WindowAxis
    out = {}
    p = paramlab.Conv1DPicture(steps=12, channels=4, kernel_size=3, padding="same", strides=2)
    first = p.svg.value
    p.stepper.forward.click()
    p.stepper.forward.click()
    out["conv1d"] = [type(p).__module__, p.position, first != p.svg.value, p.svg.value,
                     WindowAxis(12, 3, "same", 2).taps(2), p.text]
    q = paramlab.Conv2DPicture(height=6, width=6, channels=3, kernel_size=3)
    q.slider.value = 7
    out["conv2d"] = [q.position, q.svg.value, q.text]
    a = paramlab.AttentionPicture(seq_len=8, causal=True, d_model=128, num_heads=4, key_dim=32)
    a.stepper.back.click(); a.stepper.forward.click()
    out["attention"] = [a.position, a.svg.value, a.play.max]
    c = paramlab.ConfusionPicture(size=45, kernel_size=5, filters=32)
    out["confusion"] = [c.text, c.svg.value]
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def blocked() -> dict:
    done = subprocess.run(
        [sys.executable, "-c", BLOCKED], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_without_matplotlib_the_pictures_are_svg_and_step(blocked):
    module, position, changed, markup, taps, text = blocked["conv1d"]
    assert module == "paramlab.ui.pictures.svg" and position == 2 and changed
    steps = [int(a["data-step"]) for a in shapes(markup, "tap")]
    assert steps == taps == [4, 5, 6]
    assert "covers steps 4 to 6" in text and "output step 2 of 6" in text
    outputs = shapes(markup, "output")
    assert [a["fill"] for a in outputs[:3]] == [svg.SKY, svg.SKY, svg.BLUE]

    position, markup, text = blocked["conv2d"]
    (window,) = shapes(markup, "window")
    assert position == 7 and (window["data-row"], window["data-column"]) == ("1", "3")
    assert "output cell (1, 3) of 4 x 4" in text

    position, markup, last = blocked["attention"]
    met = [int(a["data-key"]) for a in shapes(markup, "met")]
    assert position == 1 and last == 7 and met == list(query_step(8, 1, causal=True).keys)

    text, markup = blocked["confusion"]
    assert "7,200 weights" in text and len(shapes(markup, "window")) == 2


CONFIGS = st.tuples(
    st.integers(4, 20),  # steps
    st.integers(1, 4),  # kernel_size
    st.sampled_from(["valid", "same", "causal"]),
    st.integers(1, 3),  # strides
    st.integers(1, 2),  # dilation_rate
).filter(lambda c: c[3] == 1 or c[4] == 1)  # Keras refuses strides and dilation both > 1


@settings(max_examples=20, deadline=None)
@given(CONFIGS)
def test_conv1d_both_renderers_draw_the_window_where_the_geometry_says(config):
    steps, kernel, padding, strides, dilation = config
    if (kernel - 1) * dilation + 1 > steps and padding == "valid":
        return  # Keras refuses it; both pictures raise the same error (below)
    args = dict(padding=padding, strides=strides, dilation_rate=dilation)
    drawn = svg.Conv1DPicture(steps, 2, kernel, **args)
    figure = conv1d.Conv1DPicture(steps, 2, kernel, **args)
    for position in range(drawn.output.length):
        drawn.slider.value = figure.slider.value = position
        expected = drawn.window.taps(position)
        assert tap_steps(drawn) == expected
        assert [round(t.get_x()) for t in figure._taps] == expected
        assert drawn.text == figure.text
    assert drawn.static_text == figure.static_text


@pytest.mark.parametrize(("padding", "strides"), [("valid", 1), ("same", 2), ("same", 1)])
def test_conv2d_both_renderers_agree(padding, strides):
    drawn = svg.Conv2DPicture(7, 5, 3, 3, padding=padding, strides=strides)
    figure = conv2d.Conv2DPicture(7, 5, 3, 3, padding=padding, strides=strides)
    for position in range(drawn.cells):
        drawn.slider.value = figure.slider.value = position
        (window,) = shapes(drawn.svg.value, "window")
        _, _, top, left = drawn._window(position)
        assert (int(window["data-row"]), int(window["data-column"])) == (top, left)
        assert figure.window_xy == (left, top)
        assert drawn.text == figure.text


@pytest.mark.parametrize("causal", [False, True])
def test_attention_both_renderers_agree(causal):
    drawn = svg.AttentionPicture(6, causal=causal)
    figure = attention.AttentionPicture(6, causal=causal)
    for position in range(6):
        drawn.slider.value = figure.slider.value = position
        met = [int(a["data-key"]) for a in shapes(drawn.svg.value, "met")]
        assert met == list(query_step(6, position, causal=causal).keys)
        assert len(figure.lines) == len(met)
        assert drawn.text == figure.text


def test_both_renderers_refuse_the_same_arguments_in_the_same_words():
    for make in (svg.Conv1DPicture, conv1d.Conv1DPicture):
        with pytest.raises(ValueError, match=r"at most 64 steps .* Received: steps=65"):
            make(65, 2, 3)
    for make in (svg.Conv2DPicture, conv2d.Conv2DPicture):
        with pytest.raises(ValueError, match=r"at most 24 x 24\. Received: height=25, width=5"):
            make(25, 5)
    for make in (svg.AttentionPicture, attention.AttentionPicture):
        with pytest.raises(ValueError, match=r"at most 32 tokens\. Received: seq_len=33"):
            make(33)
    picture = svg.Conv1DPicture(8, 2, 3)
    with pytest.raises(ValueError, match=r"from 0 to 5\. Received: position=6"):
        picture.set_position(6)
