"""What a learner sees in a notebook: explorers, sliding-window pictures and questions, each
displayed with a static stand-in. Imports ipywidgets and matplotlib, the core, the bridge (for
the Keras check) and the records (for the questions)."""
