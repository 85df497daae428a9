"""A learner's record of the questions (`_progress`), `paramlab.progress()` that reads it, and
`paramlab.room(folder)` that reads a room of them. Pure Python: no keras, no ipywidgets."""
