"""The startup summary: listeners, upstreams, which keys are present (never values), policy."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from proxy.policy import default_policy, load_policy
from proxy.relay.upstream import UpstreamConfig
from proxy.tools.startup import Listeners, missing_key_warning, summary

ROOT = Path(__file__).resolve().parents[2]
LISTENERS = Listeners("127.0.0.1", 8080, "127.0.0.1", 8081)
SECRET = "sk-proj-this-value-must-never-be-logged"


def test_summary_names_urls_keys_and_policy_counts() -> None:
    policy = load_policy(ROOT / "config/examples/trading-company.yaml")
    upstream = UpstreamConfig(
        openai_base_url="http://mock:9090/v1",
        anthropic_base_url="http://mock:9090",
        openai_api_key=SECRET,
    )
    text = "\n".join(summary(policy, upstream, LISTENERS))
    assert "proxy http://127.0.0.1:8080" in text and "admin http://127.0.0.1:8081" in text
    assert "upstream openai: http://mock:9090/v1" in text
    assert "upstream anthropic: http://mock:9090" in text
    assert "OPENAI_API_KEY set" in text and "ANTHROPIC_API_KEY missing" in text
    assert SECRET not in text
    doc = policy.document
    assert f"{len(doc.dictionaries)} dictionaries" in text and len(doc.dictionaries) > 0
    assert f"{len(policy.teams())} teams ({', '.join(policy.teams())})" in text
    assert f"mode {doc.mode}" in text and "trading-company.yaml" in text
    assert missing_key_warning(upstream, policy) is None


@pytest.mark.parametrize(
    ("config", "warned"),
    [
        (UpstreamConfig(), True),
        (UpstreamConfig(anthropic_api_key=SECRET), False),
        (UpstreamConfig(credentials="passthrough"), False),  # the clients bring their keys
    ],
)
def test_warning_only_when_the_proxy_holds_no_key(config: UpstreamConfig, warned: bool) -> None:
    warning = missing_key_warning(config, default_policy())
    assert (warning is not None) == warned
    if warning is not None:
        assert "API キーが設定されていません" in warning and "No provider API key" in warning
        assert warning.index("API キー") < warning.index("No provider")  # Japanese first


def test_serve_logs_the_summary_and_the_warning_before_loading_the_model() -> None:
    env = {k: v for k, v in os.environ.items() if "API_KEY" not in k and "BASE_URL" not in k}
    env["SEKIMORI_ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9/"
    command = [sys.executable, "-m", "proxy.tools.cli", "serve", "--workers", "0", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--admin-port", "0"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    lines: list[str] = []
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            lines.append(line)
            if "loading the Japanese model" in line or not line:
                break
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    text = "".join(lines)
    assert "upstream openai: https://api.openai.com/v1" in text
    assert "upstream anthropic: http://127.0.0.1:9/" in text
    assert "OPENAI_API_KEY missing, ANTHROPIC_API_KEY missing" in text
    assert "WARNING" in text and "No provider API key is configured" in text
    assert "policy/default.yaml (sha256" in text  # the shipped default, found from anywhere
