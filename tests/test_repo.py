"""The repository sets itself up: one place for pins, the README's commands, Binder links,
and the one-way layering of the package."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from paramlab.core import links
from tools import pins

ROOT = Path(__file__).resolve().parent.parent


def test_environment_files_are_generated_from_pyproject():
    assert pins.main(["--check"]) == 0, "run `make pins`"


def test_every_pin_is_exact_and_everywhere():
    requirements = pins.pinned_requirements()
    assert requirements, "no pins found"
    for req in requirements:
        assert re.match(r"^[A-Za-z0-9_.-]+==[0-9][^;\s]*( *;.+)?$", req), req
    for env in ("environment.yml", "binder/environment.yml"):
        text = (ROOT / env).read_text(encoding="utf-8")
        for req in requirements:
            assert f'"{req}"' in text, f"{env} lacks {req}"
        assert "python=3.11" in text


def test_tensorflow_cpu_on_linux_x86_64_only():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["course"]
    cpu = next(r for r in extras if r.startswith("tensorflow-cpu=="))
    full = next(r for r in extras if r.startswith("tensorflow=="))
    assert "platform_machine == 'x86_64'" in cpu and "sys_platform == 'linux'" in cpu
    assert "platform_machine != 'x86_64'" in full and "sys_platform != 'linux'" in full
    assert cpu.split(";")[0].split("==")[1] == full.split(";")[0].split("==")[1] == "2.21.0"


def test_ci_runs_the_readme_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"^make test$", ci, re.M)
    assert "make test" in readme and "make lab" in readme


def test_binder_postbuild_installs_the_package_and_settings():
    post = (ROOT / "binder" / "postBuild").read_text()
    assert post.startswith("#!/bin/bash") and "set -e" in post
    assert "pip install --no-deps -e ." in post
    assert "cp binder/overrides.json" in post
    assert "cp binder/overrides.json" in (ROOT / "Makefile").read_text()  # make lab: the same
    settings = json.loads((ROOT / "binder" / "overrides.json").read_text())
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_binder_folder_holds_only_what_repo2docker_reads():
    assert sorted(p.name for p in (ROOT / "binder").iterdir()) == [
        "environment.yml",
        "overrides.json",
        "postBuild",
    ]


@pytest.mark.parametrize(
    "remote,expected",
    [
        ("https://github.com/ada/paramlab.git", "https://mybinder.org/v2/gh/ada/paramlab/main"),
        ("git@github.com:ada/paramlab.git", "https://mybinder.org/v2/gh/ada/paramlab/main"),
        (
            "https://gitlab.com/ada/courses/paramlab",
            "https://mybinder.org/v2/gl/ada%2Fcourses%2Fparamlab/main",
        ),
        (
            "https://codeberg.org/ada/paramlab.git",
            "https://mybinder.org/v2/git/https%3A%2F%2Fcodeberg.org%2Fada%2Fparamlab/main",
        ),
    ],
)
def test_binder_link(remote, expected):
    link = links.binder_link(remote, "main")
    assert link == f"{expected}?urlpath=lab%2Ftree%2Fnotebooks%2F00_start_here.ipynb"


def test_nbgitpuller_template():
    link = links.nbgitpuller_template("git@github.com:ada/paramlab.git", "main")
    assert link == (
        "https://<your-jupyterhub>/hub/user-redirect/git-pull"
        "?repo=https%3A%2F%2Fgithub.com%2Fada%2Fparamlab&branch=main"
        "&targetpath=paramlab&urlpath=lab%2Ftree%2Fparamlab%2Fnotebooks%2F00_start_here.ipynb"
    )


def test_binder_url_without_remote(tmp_path, capsys, monkeypatch):
    """`make binder-url` (`python -m paramlab.core.links`) reads the checkout it runs in."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    assert links.main() == 1
    assert "No git remote named 'origin'" in capsys.readouterr().err


def test_binder_url_with_remote(tmp_path, capsys):
    subprocess.run(["git", "init", "-q", "-b", "course", str(tmp_path)], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(tmp_path),
            "remote",
            "add",
            "origin",
            "https://github.com/ada/paramlab.git",
        ],
        check=True,
    )
    assert links.main(tmp_path) == 0
    out = capsys.readouterr().out
    assert "https://mybinder.org/v2/gh/ada/paramlab/course?urlpath=" in out
    assert "git-pull?repo=" in out


def test_local_path_remote_is_refused():
    with pytest.raises(ValueError, match=r"Received: remote='/srv/git/paramlab'"):
        links.binder_link("/srv/git/paramlab", "main")


def test_modules_stay_small():
    for path in (ROOT / "widgets" / "paramlab").rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 450, f"{path.relative_to(ROOT)} has {lines} lines: split it"


def test_nbgitpuller_link_pulls_into_the_same_folder_whatever_the_clone_is_called():
    for repo in ("/check/repo.git", "/work/main", "https://gitlab.com/school/ml-course-fork"):
        link = links.nbgitpuller_link("http://127.0.0.1:8000", repo, "main")
        assert "&targetpath=paramlab&urlpath=lab%2Ftree%2Fparamlab%2Fnotebooks%2F" in link, link
