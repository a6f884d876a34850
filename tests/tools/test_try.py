"""``make try`` as a newcomer runs it: the mock upstream and the proxy, no provider key.

Runs the very command ``make try`` runs (``python -m proxy.tools.trial``) on free ports,
with every provider key removed from the environment, then talks to it through the real
``openai`` and ``anthropic`` SDKs and stops it with Ctrl-C (SIGINT).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NAME, PHONE = "山本健一", "090-2345-6789"
PROMPT = f"{NAME}さん（携帯 {PHONE}）に案内文を作ってください。"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Trial:
    process: subprocess.Popen[str]
    port: int
    admin_port: int
    mock_port: int
    log: Path


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trial]:
    log = tmp_path_factory.mktemp("try") / "out.log"
    ports = _free_port(), _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if "API_KEY" not in k and "BASE_URL" not in k}
    command = [sys.executable, "-m", "proxy.tools.trial", "--config", "config/default.yaml"]
    command += ["--port", str(ports[0]), "--admin-port", str(ports[1])]
    command += ["--mock-port", str(ports[2]), "--workers", "1"]
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True
        )
    running = Trial(process, *ports, log)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{ports[1]}/readyz", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("make try did not come up:\n" + log.read_text(encoding="utf-8"))
                time.sleep(0.5)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()


def test_openai_chat_without_a_key(trial: Trial) -> None:
    from openai import OpenAI

    client = OpenAI(base_url=f"http://127.0.0.1:{trial.port}/v1", api_key="staff", max_retries=0)
    reply = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}]
    )
    answer = reply.choices[0].message.content or ""
    assert NAME in answer and PHONE in answer  # restored on the way back
    assert answer.startswith("受け取った内容: ")  # it is the mock's echo
    stream = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}], stream=True
    )
    assert NAME in "".join(c.choices[0].delta.content or "" for c in stream if c.choices)


def test_anthropic_message_without_a_key(trial: Trial) -> None:
    from anthropic import Anthropic

    client = Anthropic(base_url=f"http://127.0.0.1:{trial.port}", api_key="staff", max_retries=0)
    reply = client.messages.create(
        model="claude-sonnet-4-5", max_tokens=100, messages=[{"role": "user", "content": PROMPT}]
    )
    block = reply.content[0]
    assert block.type == "text" and NAME in block.text and PHONE in block.text
    counted = client.messages.count_tokens(
        model="claude-sonnet-4-5", messages=[{"role": "user", "content": PROMPT}]
    )
    assert counted.input_tokens > 0


def test_the_mock_shows_what_went_upstream_masked(trial: Trial) -> None:
    # The tests above ran first (file order): the mock printed each prompt it received.
    received = [
        line for line in trial.log.read_text(encoding="utf-8").splitlines() if "received" in line
    ]
    assert any("/v1/chat/completions" in line for line in received)
    assert any("/v1/messages" in line for line in received)
    assert all(NAME not in line and PHONE not in line for line in received)
    assert any("[[PERSON_1]]" in line and "[[PHONE_NUMBER_1]]" in line for line in received)


def test_the_startup_summary_points_at_the_mock(trial: Trial) -> None:
    from proxy.tools.trial import DUMMY_KEY

    log = trial.log.read_text(encoding="utf-8")
    assert f"upstream openai: http://127.0.0.1:{trial.mock_port}/v1" in log
    assert f"upstream anthropic: http://127.0.0.1:{trial.mock_port}" in log
    assert "OPENAI_API_KEY set, ANTHROPIC_API_KEY set" in log
    assert DUMMY_KEY not in log and "No provider API key" not in log


def test_ctrl_c_stops_both(trial: Trial) -> None:
    trial.process.send_signal(signal.SIGINT)
    assert trial.process.wait(timeout=40) == 0
    assert not _listening(trial.port) and not _listening(trial.mock_port)
