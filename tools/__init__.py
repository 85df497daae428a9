"""The course's tools, each run as a module from the repository root (the Makefile's targets):
`python -m tools.course_site`, `tools.handouts`, `tools.slides`, `tools.run_notebooks`,
`tools.lecture`, `tools.pins`. Also what the tests and the benchmarks share at run time: a
JupyterLab and Chromium to drive it (`tools.lab_server`), ports and waiting (`tools.net`)."""
