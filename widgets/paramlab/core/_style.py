"""The course's look, in one place: the Okabe-Ito palette for figures, the darker colours its
text needs to read on white, the question feedback's colours and marks, and table cell styles.

Pure data, no imports, so every view imports it: the widgets (`paramlab.ui`), the reports
(`paramlab.records`) and explain's table (`paramlab.bridge.report`). One name is one colour: a
text colour darkened from a palette colour is named after it with `_TEXT` (`VERMILLION_TEXT`),
never by the palette's own name.
"""

from __future__ import annotations

# Okabe-Ito, safe for the common forms of colour blindness (black left out).
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"  # the palette's bluish green
YELLOW = "#F0E442"
BLUE = "#0072B2"  # also a text colour: 5.19:1 on white
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"  # the palette's reddish purple
# One colour per series, in the palette's order (the room report's bars, one per slip).
PALETTE = (ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE)

# Figures: cell edges, ticks and hatching; the fill of an input cell.
LINE_GREY = "#BBBBBB"
CELL_FILL = "#F2F2F2"

# Text on white at WCAG AA (4.5:1 or more). The palette's own green and vermillion read at
# only 3.42:1 and 3.87:1, so text uses them darkened.
GREEN_TEXT = "#007A5A"  # 5.34:1
VERMILLION_TEXT = "#B34700"  # 5.50:1
GREY_TEXT = "#555555"  # 7.46:1: quiet notes
DARK_TEXT = "#333333"  # 12.63:1: plain information

# A question's feedback line, by kind: its colour, and the mark that says it without colour.
FEEDBACK_COLOURS = {"right": GREEN_TEXT, "wrong": VERMILLION_TEXT, "info": DARK_TEXT}
FEEDBACK_MARKS = {"right": "✔ ", "wrong": "✘ ", "info": ""}

# Table cells in the reports' HTML.
CELL_LEFT = "text-align:left;padding:0.1em 0.6em"
CELL_RIGHT = "text-align:right;padding:0.1em 0.6em"
