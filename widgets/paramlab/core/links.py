"""Launch links for the course: mybinder.org, and nbgitpuller for a JupyterHub, built from a git
remote. Pure string building, plus `git` to read a checkout's remote and branch.

The static site (`python -m tools.course_site`) and the workshop hub (`hub/`) build their links
here; `make binder-url` prints this checkout's:

    python -m paramlab.core.links     # in the course's checkout
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"
# The folder nbgitpuller pulls the course into, in each learner's home. Named in the link
# (`targetpath`) rather than left to nbgitpuller's default (the last part of the repository's
# address), so it is the same whatever the clone or fork is called: `main`, `repo.git`, ...
COURSE_FOLDER = "paramlab"

# Where the browser edition's set-up cell names the full course (its public git remote and
# branch), so a lesson there can link to itself on Binder.
REMOTE_ENV = "PARAMLAB_REMOTE"
REF_ENV = "PARAMLAB_REF"
MAKE_LAB = "clone the course and run `make lab`"

_GITHUB = re.compile(
    r"^(?:https?://|ssh://git@|git@)github\.com[:/](?P<owner>[^/]+)/(?P<repo>[^/]+?)(?:\.git)?/?$"
)
_GITLAB = re.compile(r"^(?:https?://|ssh://git@|git@)gitlab\.com[:/](?P<path>.+?)(?:\.git)?/?$")


def https_url(remote: str) -> str:
    """The public https address of a remote given as https or ssh."""
    remote = remote.strip()
    match = re.match(r"^(?:ssh://)?git@(?P<host>[^:/]+)[:/](?P<path>.+)$", remote)
    if match:
        remote = f"https://{match['host']}/{match['path']}"
    if not remote.startswith(("https://", "http://")):
        raise ValueError(
            "The git remote is not a public https or ssh address that Binder can clone. "
            f"Received: remote={remote!r}"
        )
    return remote.removesuffix("/").removesuffix(".git")


def binder_link(remote: str, ref: str, notebook: str = FIRST_NOTEBOOK) -> str:
    """mybinder.org link that builds `remote` at `ref` and opens JupyterLab on `notebook`."""
    urlpath = quote(f"lab/tree/{notebook}", safe="")
    remote = remote.strip()
    if match := _GITHUB.match(remote):
        spec = f"gh/{match['owner']}/{match['repo']}/{quote(ref, safe='')}"
    elif match := _GITLAB.match(remote):
        spec = f"gl/{quote(match['path'], safe='')}/{quote(ref, safe='')}"
    else:
        spec = f"git/{quote(https_url(remote), safe='')}/{quote(ref, safe='')}"
    return f"https://mybinder.org/v2/{spec}?urlpath={urlpath}"


def full_course_link(
    notebook: str | None = None, environ: Mapping[str, str] | None = None
) -> str | None:
    """The Binder link that opens `notebook` (a file name in `notebooks/`; the first lesson when
    None) in the full course, built from `$PARAMLAB_REMOTE` and `$PARAMLAB_REF` (default main);
    None when no public remote is named."""
    env = os.environ if environ is None else environ
    remote = env.get(REMOTE_ENV, "").strip()
    if not remote:
        return None
    ref = env.get(REF_ENV, "").strip() or "main"
    path = f"notebooks/{os.path.basename(notebook)}" if notebook else FIRST_NOTEBOOK
    try:
        return binder_link(remote, ref, path)
    except ValueError:  # not a public address: the way by `make lab` remains
        return None


def to_full_course(link: str | None) -> str:
    """How to reach the full course, in words: `open this notebook on Binder (<link>) or clone
    the course and run `make lab``; without a link, only the second."""
    return f"open this notebook on Binder ({link}) or {MAKE_LAB}" if link else MAKE_LAB


def nbgitpuller_link(hub_url: str, repo: str, ref: str, notebook: str = FIRST_NOTEBOOK) -> str:
    """The nbgitpuller link: sign in at `hub_url`, pull `repo` at `ref` into COURSE_FOLDER in the
    learner's home, open `notebook` in JupyterLab."""
    return (
        f"{hub_url}/hub/user-redirect/git-pull"
        f"?repo={quote(repo, safe='')}&branch={quote(ref, safe='')}"
        f"&targetpath={COURSE_FOLDER}"
        f"&urlpath={quote(f'lab/tree/{COURSE_FOLDER}/{notebook}', safe='')}"
    )


def nbgitpuller_template(remote: str, ref: str, notebook: str = FIRST_NOTEBOOK) -> str:
    """nbgitpuller link for a JupyterHub whose environment already has the course's pins."""
    return nbgitpuller_link("https://<your-jupyterhub>", https_url(remote), ref, notebook)


def git(root: Path, *args: str) -> str:
    """What `git <args>` prints in the checkout at `root`, or "" when it fails."""
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


def origin(root: Path) -> str:
    """The checkout's `origin` remote, or "" when it has none."""
    return git(root, "remote", "get-url", "origin")


def branch(root: Path) -> str:
    """The checkout's current branch; `main` on a detached HEAD."""
    return git(root, "symbolic-ref", "--short", "HEAD") or "main"


def main(root: Path | None = None) -> int:
    """Print the links of the checkout at `root` (default: the current directory)."""
    root = Path.cwd() if root is None else root
    remote = origin(root)
    if not remote:
        print(
            "No git remote named 'origin', so there is no public repository for Binder to build.\n"
            "Push the course somewhere public first, e.g.\n"
            "  git remote add origin https://github.com/<owner>/<repo>.git\n"
            "  git push -u origin main\n"
            "then run `make binder-url` again.",
            file=sys.stderr,
        )
        return 1
    ref = branch(root)
    try:
        print("Binder (builds binder/, opens JupyterLab on the first notebook):")
        print(f"  {binder_link(remote, ref)}")
        print("nbgitpuller (for a JupyterHub that has the pinned environment):")
        print(f"  {nbgitpuller_template(remote, ref)}")
    except ValueError as err:
        print(err, file=sys.stderr)
        return 1
    if not (root / FIRST_NOTEBOOK).exists():
        print(f"note: {FIRST_NOTEBOOK} is not in this checkout yet.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
