"""One rule for tests that need something this machine may lack (a browser, root for the hub,
torch): skip with the reason, except under CI=true, where the run must not pass without them."""

from __future__ import annotations

import os

import pytest


def require(missing: str, what: str) -> None:
    """Go on when `missing` is empty; otherwise skip the caller (a test, a fixture or a whole
    module) saying why, or under CI=true fail, since `what` must run there."""
    if not missing:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} cannot run under CI=true: {missing}", pytrace=False)
    pytest.skip(missing, allow_module_level=True)
