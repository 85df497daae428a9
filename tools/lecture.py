"""`make lecture`: JupyterLab from the course's .venv, ready to present from.

It presents the instructor edition (`tools/editions.py`): the learner's notebooks with the
speaker notes put back in, written afresh into build/instructor/ each time, so the notes can
never drift from the lessons. The learner's notebooks under notebooks/ are not touched.

Larger type for a projector (its own user-settings folder under build/lecture/, so a learner's
own JupyterLab settings are neither read nor changed), the course open on its first notebook,
and how to run the deck printed before the server starts. Slides are jupyterlab-slideshow's,
inside JupyterLab itself, so the explorers, pictures and questions stay live on the slides.

    make lecture                      # or: .venv/bin/python -m tools.lecture [extra lab args]
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from tools import editions

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "build" / "lecture" / "settings"
EDITION = editions.OUT
FIRST = "00_start_here.ipynb"
FONTS = {"code-font-size": "18px", "content-font-size1": "20px", "ui-font-size1": "16px"}
"""Projector sizes: JupyterLab's defaults are 13px, 14px and 13px."""

HOW_TO = """\
Lecture mode: JupyterLab opens on {first} with projector-sized type.
  1. Open the notebook of the day and run it: Run > Run All Cells (the widgets need the kernel).
  2. Start the slides: the deck button in the notebook's toolbar (or the command palette,
     Ctrl+Shift+C, "Start Deck").
  3. Right / Left arrow: next / previous slide or fragment (questions appear as fragments);
     Esc leaves the deck. Speaker notes are the cells headed "Lecturer"; they are not shown
     on the slides. This is the instructor edition, written to {folder}: learners get
     notebooks/, which has no notes.
"""


def write_settings(folder: Path = SETTINGS) -> Path:
    """The theme settings of lecture mode, in a settings folder of its own."""
    path = folder / "@jupyterlab" / "apputils-extension" / "themes.jupyterlab-settings"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"overrides": FONTS}, indent=2) + "\n", encoding="utf-8")
    return path


def command(extra: list[str]) -> list[str]:
    jupyter = Path(sys.executable).parent / "jupyter"
    args = [
        str(jupyter),
        "lab",
        f"--ServerApp.root_dir={EDITION}",
        f"--LabApp.default_url=/lab/tree/{FIRST}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")  # containers and cloud VMs run as root; JupyterLab refuses
    return args + extra


def main(argv: list[str] | None = None) -> int:
    extra = sys.argv[1:] if argv is None else argv
    write_settings()
    editions.write(EDITION)
    print(HOW_TO.format(first=FIRST, folder=EDITION.relative_to(ROOT)), flush=True)
    os.environ["JUPYTERLAB_SETTINGS_DIR"] = str(SETTINGS)
    args = command(extra)
    os.execv(args[0], args)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
