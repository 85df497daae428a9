"""The pure core: formulas, shape arithmetic, the learner's arithmetic, the classic slips and
PyTorch's counts. Nothing under `paramlab.core` imports keras, ipywidgets or matplotlib; the
other layers (`paramlab.bridge`, `paramlab.ui`, `paramlab.records`) import from here, never the
other way round."""
