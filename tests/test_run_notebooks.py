"""`make notebooks` saves each notebook with the `language_info` its kernel reports, whole.

JupyterLab writes the running kernel's `language_info` into a notebook as soon as the kernel
starts; if the saved one differs (a bare `{"name": "python"}`), the notebook opens marked as
modified though the learner changed nothing (tests/browser/test_on_screen.py checks the tab).
"""

from __future__ import annotations

import nbformat
import pytest
from ipykernel.ipkernel import IPythonKernel

from tools import run_notebooks
from tools.notebook_parts import course_notebooks

# What this environment's python3 kernel (ipykernel) reports in its kernel_info reply.
KERNEL = dict(IPythonKernel.language_info)


def test_a_run_saves_the_kernels_language_info(tmp_path):
    path = tmp_path / "tiny.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.write(nb, path)
    run_notebooks.run(path, timeout=120)
    saved = nbformat.read(path, as_version=4)
    assert saved.metadata["language_info"] == KERNEL
    assert saved.metadata["kernelspec"] == run_notebooks.KERNELSPEC
    assert saved.cells[0].outputs[0]["data"]["text/plain"] == "2"


@pytest.mark.parametrize("path", course_notebooks(), ids=lambda p: p.stem)
def test_course_notebooks_carry_the_kernels_language_info(path):
    """Every key as the kernel reports it; the version to the minor release (a patch release
    of Python that differs from the one that ran `make notebooks` still marks it modified)."""
    info = dict(nbformat.read(path, as_version=4).metadata.get("language_info", {}))
    version = info.pop("version", "")
    expected = dict(KERNEL)
    minor = ".".join(expected.pop("version").split(".")[:2])
    assert (info, version.rpartition(".")[0]) == (expected, minor), (
        f"{path.name}: language_info {info | {'version': version}} is not the kernel's "
        f"{KERNEL}: JupyterLab rewrites it on opening and marks the notebook modified; "
        "run `make notebooks`"
    )
