"""What marks a paramlab output as a live widget view with a static stand-in beside it: the
names `paramlab.ui._display` writes and the Jupyter server's save hook
(`paramlab.ui._save_hook`) reads.

No imports: the server imports this module through the save hook, and never loads ipywidgets.
"""

from __future__ import annotations

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STAND_IN_KEY = "paramlab"  # the key in an output's metadata
