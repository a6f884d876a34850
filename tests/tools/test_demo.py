"""``make demo`` through the shared mock upstream: masked upstream, restored answer, exit 0."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_masks_upstream_and_restores_the_answer(tmp_path: Path) -> None:
    # Run from elsewhere: the demo needs no file of the repository's working directory.
    out = subprocess.run(
        [sys.executable, "-m", "proxy.tools.demo"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=180,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    masked = lines[lines.index(next(line for line in lines if "masked" in line)) + 1]
    assert "[[PERSON_1]]" in masked and "山本健一" not in masked
    assert "受け取った内容: 山本健一さん（携帯 090-2345-6789）" in out.stdout
    assert "requests that reached the upstream: 2" in out.stdout
