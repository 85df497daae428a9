"""deploy/z2jh-values.yaml, the Zero to JupyterHub values for a large course: it parses, its image
holds the same pins as pyproject.toml, and its memory fits the kernel peak the README measures."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tools import pins

ROOT = Path(__file__).resolve().parent.parent

VALUES = yaml.safe_load((ROOT / "deploy" / "z2jh-values.yaml").read_text(encoding="utf-8"))
UNITS = {"": 1, "K": 10**3, "M": 10**6, "G": 10**9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def to_bytes(quantity: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG]i?)?", str(quantity))
    assert match, f"not a Kubernetes memory quantity: {quantity!r}"
    return int(float(match[1]) * UNITS[match[2] or ""])


def kernel_peak_bytes() -> int:
    """The worst notebook kernel's peak memory that the README reports (its Benchmarks table)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"peak memory of one notebook kernel[^|]*\|[^|]*\*\*(\d+) MB\*\*", readme)
    assert match, "README.md no longer reports the kernel's peak memory"
    return int(match[1]) * 10**6


def test_values_name_the_pinned_nbgitpuller_and_jupyterhub():
    image_pins = VALUES["custom"]["paramlab"]["image_pins"]
    hub_pins = [
        req
        for req in pins.pinned_requirements()
        if req.split("==")[0] in ("nbgitpuller", "jupyterhub")
    ]
    assert sorted(image_pins) == sorted(hub_pins)
    binder = (ROOT / "binder" / "environment.yml").read_text(encoding="utf-8")
    for pin in image_pins:  # the image repo2docker builds from binder/ really has them
        assert f'"{pin}"' in binder


def test_memory_fits_two_notebooks():
    memory = VALUES["singleuser"]["memory"]
    guarantee, limit = to_bytes(memory["guarantee"]), to_bytes(memory["limit"])
    peak = kernel_peak_bytes()
    assert 0.6e9 <= peak <= 0.75e9  # the README's 690 MB, about 0.7 GB
    assert guarantee <= limit
    assert limit >= 2 * 0.7e9 and limit >= 2 * peak
    assert guarantee >= peak  # one notebook always fits in what is guaranteed


def test_idle_servers_are_culled_and_learners_land_in_lab():
    assert VALUES["cull"]["enabled"] is True
    assert 0 < VALUES["cull"]["timeout"] <= 3600
    assert VALUES["cull"]["users"] is False  # servers stop; learners and their files stay
    assert VALUES["singleuser"]["defaultUrl"] == "/lab"
    assert VALUES["singleuser"]["image"]["tag"] != "latest"


def test_values_say_how_the_image_is_built():
    text = (ROOT / "deploy" / "z2jh-values.yaml").read_text(encoding="utf-8")
    assert "repo2docker" in text and "binder/" in text
