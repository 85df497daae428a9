"""A Jupyter server extension: when a notebook is saved, paramlab's live widget views are dropped
from its outputs and their static stand-ins kept.

Why: a saved widget view names a model that lives only in the kernel that made it. Opened again
after that kernel is gone (a return visit, a kernel restart, a hub that culled the server),
JupyterLab shows "Error displaying widget: model not found" in its place. Without the view, the
output's next richest form shows instead: the read-out as HTML, or the picture as an image, with
a line that says to run the cell for the live widget. The page already open keeps its live
widgets; only what is written to disk changes. Under each question's stand-in it writes what the
learner's progress record says of it (solved and how, tried, the answer shown), so the notebook
opened again shows where they were before anything runs.

Only outputs that paramlab marked (`paramlab.ui._stand_in.STAND_IN_KEY` in the output's metadata)
are touched. `python -m paramlab.ui._save_hook` enables it in the running environment (it writes
`etc/jupyter/jupyter_server_config.d/paramlab.json` under `sys.prefix`); `make lab`,
`binder/postBuild` and the README's conda steps run it.

No keras, no ipywidgets: the server imports this module, not the kernel.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from paramlab.records._progress import store
from paramlab.ui._reopen import show_records
from paramlab.ui._stand_in import STAND_IN_KEY, WIDGET_VIEW


def strip_live_views(notebook: dict[str, Any]) -> int:
    """Remove the widget view from every paramlab-marked output of `notebook` (nbformat 4 JSON,
    changed in place). Returns how many were removed."""
    removed = 0
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data")
            metadata = output.get("metadata") or {}
            if not isinstance(data, dict) or STAND_IN_KEY not in metadata:
                continue
            if WIDGET_VIEW in data and len(data) > 1:
                del data[WIDGET_VIEW]
                removed += 1
    return removed


def pre_save_hook(model: dict[str, Any], path: str = "", **kwargs: Any) -> None:
    """The contents manager's pre-save hook: strip live views from a notebook being saved, and
    write under each question what the learner's record says of it (`paramlab.ui._reopen`)."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    strip_live_views(model["content"])
    try:
        show_records(model["content"], Path(path).name, store().records())
    except Exception:  # the record is a courtesy: a save must never fail for it
        return


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "paramlab.ui._save_hook"}]


LOADED = "paramlab: saved notebooks keep static stand-ins for paramlab widgets"
"""What the server logs when it loads the extension."""


def _load_jupyter_server_extension(serverapp: Any) -> None:
    serverapp.contents_manager.register_pre_save_hook(pre_save_hook)
    serverapp.log.info(LOADED)


CONFIG = {"ServerApp": {"jpserver_extensions": {"paramlab.ui._save_hook": True}}}


def config_path(prefix: str | Path = sys.prefix) -> Path:
    """Where `install` enables the extension for the environment at `prefix`."""
    return Path(prefix) / "etc" / "jupyter" / "jupyter_server_config.d" / "paramlab.json"


def install(prefix: str | Path = sys.prefix) -> Path:
    """Enable the extension for every Jupyter server run from the environment at `prefix`."""
    path = config_path(prefix)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(CONFIG, indent=2) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"paramlab: server extension enabled in {install()}")
