"""External programs some tests need (Debian's chromium and prometheus, the npm coding
clients). They are installed by `make test` / `make test-clients` (scripts/install_*.sh).
Where they are missing the test skips, except under SEKIMORI_CI=1 (set by .ci/run), where a
missing program fails the test: on CI these tests must really run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ON_CI = os.environ.get("SEKIMORI_CI") == "1"


def require(program: str, installed_by: str) -> Path:
    """The program's path; skips (or fails on CI) when it is not installed."""
    found = shutil.which(program) or (program if Path(program).is_file() else None)
    if found is None:
        message = f"{program} is not installed (run {installed_by})"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    return Path(found)
