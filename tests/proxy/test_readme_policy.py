"""The policy example in README.md validates (documentation that cannot rot)."""

from __future__ import annotations

import re
from pathlib import Path

from proxy.policy import load_policy

ROOT = Path(__file__).resolve().parents[2]


def test_readme_policy_example_validates(tmp_path: Path) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.finditer(r"```yaml\n(.*?)```", text, re.S) if "pilot" in b[1])
    (tmp_path / "customers.csv").write_text("山田商事\n", encoding="utf-8")
    (tmp_path / "codenames.txt").write_text("黒潮\n", encoding="utf-8")
    (tmp_path / "policy.yaml").write_text(block.group(1), encoding="utf-8")
    policy = load_policy(tmp_path / "policy.yaml")
    assert policy.teams() == ["hr", "pilot"]
    assert policy.mode_for("pilot") == "monitor"
    assert policy.action_for("hr", "PERSON").value == "allow"
    assert policy.action_for(None, "CODENAME").value == "block"


def test_readme_attachments_example_validates(tmp_path: Path) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.finditer(r"```yaml\n(.*?)```", text, re.S) if "on_mask" in b[1])
    (tmp_path / "policy.yaml").write_text(block.group(1), encoding="utf-8")
    policy = load_policy(tmp_path / "policy.yaml")
    sales = policy.attachments_for("sales")
    assert (sales.on_mask, sales.actions["image"]) == ("flatten", "ocr")
    assert policy.attachments_for(None).on_mask == "block"
