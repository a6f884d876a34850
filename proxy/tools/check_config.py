"""``sekimori check-config FILE``: validate a policy and say, per team, what it will do."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from proxy.policy import PolicyError, effective_upstreams, load_policy

EXIT_OK = 0
EXIT_INVALID = 2


def run_check_config(path: Path, out: TextIO, environ: Mapping[str, str] | None = None) -> int:
    """Print the policy's effect (exit 0) or its errors, Japanese first (exit 2)."""
    try:
        policy = load_policy(path)
        # The environment can still override the upstreams at start-up; check it as serve would.
        upstreams = effective_upstreams(policy, environ if environ is not None else os.environ)
    except PolicyError as exc:
        out.write(f"ポリシーは無効です / the policy is invalid: {path}\n")
        out.write(f"{exc}\n")
        return EXIT_INVALID
    teams = policy.teams()
    out.write(f"ポリシーは有効です / the policy is valid: {path}\n")
    out.write(f"  digest: {policy.digest[:12]}\n")
    out.write(f"  チーム / teams: {', '.join(teams) if teams else 'なし / none'}\n")
    out.write(f"  接続先 / upstreams: openai {upstreams.openai}, anthropic {upstreams.anthropic}\n")
    out.write(f"  プロバイダーキー / provider keys: {policy.credentials.mode}\n")
    out.write("\n" + policy.describe(None) + "\n")
    for team in teams:
        out.write("\n" + policy.describe(team) + "\n")
    return EXIT_OK
