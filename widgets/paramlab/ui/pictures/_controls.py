"""The step controls above a picture: Play, back, a position slider and next, in a row that
wraps when the output area is narrow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as W

from paramlab.ui.pictures._base import PLAY_CLASS


class Stepper:
    """Controls for a position 0..count-1. The slider is the one source of truth: Play drives it
    in the browser through `play_link` (a `jslink`, so animation needs no round trip to the
    kernel), the buttons step it by one, and `on_change(position)` hears every change.

    Everything is usable from the keyboard: Tab reaches each control; arrow keys move the
    slider; Enter or Space presses a button. Nothing plays until the learner presses Play, and
    a learner whose system asks for reduced motion gets no Play at all (`PLAY_CLASS` is hidden
    by the picture's CSS): the back/next buttons are the step control, always there.
    """

    def __init__(
        self,
        count: int,
        *,
        noun: str,
        interval: int,
        on_change: Callable[[int], None],
        guard: Callable[[Callable[..., None]], Callable[..., None]],
    ) -> None:
        last = count - 1
        self.slider = W.IntSlider(
            value=0,
            min=0,
            max=last,
            description=noun,
            continuous_update=True,
            style={"description_width": "initial"},
            layout=W.Layout(width="auto", flex="1 1 14em", min_width="10em"),
        )
        self.play = W.Play(
            value=0, min=0, max=last, interval=interval, description="Play", tooltip="Play"
        )
        self.play.add_class(PLAY_CLASS)
        self.play_link = W.jslink((self.play, "value"), (self.slider, "value"))
        self.back = W.Button(
            description="◀", tooltip=f"previous {noun}", layout=W.Layout(width="auto")
        )
        self.forward = W.Button(
            description="▶", tooltip=f"next {noun}", layout=W.Layout(width="auto")
        )
        self.back.on_click(guard(lambda _: self.step(-1)))
        self.forward.on_click(guard(lambda _: self.step(+1)))
        self.slider.observe(guard(lambda change: on_change(change["new"])), names="value")
        self.widgets: list[Any] = [self.play, self.back, self.slider, self.forward]

    def step(self, by: int) -> None:
        """Move the slider `by` positions, stopping at either end."""
        self.slider.value = min(max(self.slider.value + by, self.slider.min), self.slider.max)


def attach_stepper(picture: Any, count: int, *, noun: str, interval: int) -> Stepper:
    """A Stepper for `picture` (its `set_position` hears every change, guarded by its
    `_guarded`): its slider, Play and controls set on the picture, which is drawn at 0."""
    stepper = Stepper(
        count,
        noun=noun,
        interval=interval,
        on_change=picture.set_position,
        guard=picture._guarded,
    )
    picture.stepper = stepper
    picture.slider, picture.play, picture.play_link = (
        stepper.slider,
        stepper.play,
        stepper.play_link,
    )
    picture.controls = stepper.widgets
    picture.set_position(0)
    return stepper
