"""Real coding clients through the proxy to the recording fake upstream: Claude Code
(`claude -p`, Anthropic Messages with streaming, tools, system prompt and mid-conversation
system messages) and the OpenAI Codex CLI (`codex exec`, the Responses API with streaming).

A prompt with a name and a phone number reaches the upstream masked and comes back restored
in the client's output; a prompt with a My Number shows the Japanese block message and
nothing reaches the upstream. The clients run offline: telemetry, update checks and error
reporting are off, and every connection that is not to loopback goes to a dead proxy.

Installed by `make test-clients` (scripts/install_clients.sh: npm ci in tests/clients)."""

from __future__ import annotations

import asyncio
import os
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.external import require

BIN = Path(__file__).resolve().parent / "node_modules/.bin"
NAME, PHONE = "山本健一", "090-2345-6789"
PROMPT = f"{NAME}さん（{PHONE}）に明日の打ち合わせの案内を書いて"
MY_NUMBER_PROMPT = "社員のマイナンバー 615237485127 を源泉徴収票に書く方法を教えて"
BLOCK_MESSAGE = "送信を止めました：マイナンバー（個人番号） 1件 が含まれています。"
TIMEOUT = 90

# Everything that is not loopback goes through a proxy nobody listens on.
OFFLINE = {
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "127.0.0.1,localhost",
    "LANG": "C.UTF-8",
}
CLAUDE_ENV = {
    "ANTHROPIC_API_KEY": "sk-ant-staff-dummy",
    "DISABLE_TELEMETRY": "1",
    "DISABLE_ERROR_REPORTING": "1",
    "DISABLE_AUTOUPDATER": "1",
    "DISABLE_NON_ESSENTIAL_MODEL_CALLS": "1",
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
}
CODEX_CONFIG = """model = "gpt-5-codex"
model_provider = "sekimori"
check_for_update_on_startup = false

[model_providers.sekimori]
name = "Sekimori"
base_url = "{base_url}"
env_key = "SEKIMORI_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0

[analytics]
enabled = false

[feedback]
enabled = false

[history]
persistence = "none"
"""


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


async def run(args: list[str], env: dict[str, str], cwd: Path) -> Run:
    process = await asyncio.create_subprocess_exec(
        *args,
        env={"PATH": os.environ["PATH"], **OFFLINE, **env},
        cwd=cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        # Both launchers are node scripts that start a native binary: on a timeout the
        # whole process group is killed, or the binary would keep the pipes open.
        start_new_session=True,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), TIMEOUT)
    except TimeoutError:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = await process.communicate()
    return Run(process.returncode or 0, out.decode(), err.decode())


async def claude(proxy_url: str, prompt: str, home: Path, *extra: str) -> Run:
    binary = require(str(BIN / "claude"), "make test-clients")
    env = {**CLAUDE_ENV, "HOME": str(home), "ANTHROPIC_BASE_URL": proxy_url}
    args = [str(binary), "-p", prompt, "--no-session-persistence", *extra]
    return await run(args, env, home)


async def codex(proxy_url: str, prompt: str, home: Path) -> Run:
    binary = require(str(BIN / "codex"), "make test-clients")
    codex_home = home / ".codex"
    codex_home.mkdir()
    (codex_home / "config.toml").write_text(CODEX_CONFIG.format(base_url=proxy_url + "/v1"))
    env = {"HOME": str(home), "CODEX_HOME": str(codex_home), "SEKIMORI_KEY": "staff-dummy"}
    # --strict-config: an unknown key in CODEX_CONFIG (a misspelt offline setting) fails the run.
    args = ["exec", "--strict-config", "--skip-git-repo-check", "--ephemeral"]
    args += ["--sandbox", "read-only", prompt]
    return await run([str(binary), *args], env, home)


CLIENTS = {"claude": claude, "codex": codex}
ROUTES = {"claude": "/v1/messages", "codex": "/v1/responses"}


def upstream_text(fake) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(r.body.decode("utf-8") for r in fake.requests)


@pytest.mark.parametrize("client", CLIENTS)
async def test_masked_upstream_restored_in_the_output(
    client: str, start_proxy, fake, tmp_path: Path
) -> None:
    proxy = await start_proxy()
    result = await CLIENTS[client](proxy.url, PROMPT, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [r.path for r in fake.requests] == [ROUTES[client]]
    (request,) = fake.requests
    assert request.json["stream"] is True
    assert len(request.json["tools"]) >= 3  # the agent's own tools went through
    sent = upstream_text(fake)
    assert NAME not in sent and PHONE not in sent and "09023456789" not in sent
    assert "[[PERSON_" in sent and "[[PHONE_NUMBER_1]]" in sent
    assert PROMPT in result.stdout  # the fake echoes the prompt; the proxy restored it
    assert "[[" not in result.stdout


@pytest.mark.parametrize("client", CLIENTS)
async def test_my_number_shows_the_block_message(
    client: str, start_proxy, fake, tmp_path: Path
) -> None:
    proxy = await start_proxy()
    result = await CLIENTS[client](proxy.url, MY_NUMBER_PROMPT, tmp_path)
    assert result.returncode != 0
    assert BLOCK_MESSAGE in result.stdout + result.stderr
    assert "Blocked: the request contains My Number" in result.stdout + result.stderr
    assert fake.requests == []


async def test_claude_tool_loop_history_goes_through_masked(
    start_proxy, fake, tmp_path: Path
) -> None:
    """The fake answers every turn with a call of Claude Code's first tool: Claude Code runs
    it, sends the tool_result back with the whole history, three turns in a row."""
    fake.behaviour = "tool_call"
    proxy = await start_proxy()
    result = await claude(proxy.url, PROMPT, tmp_path, "--max-turns", "3")
    assert "Reached max turns (3)" in result.stdout + result.stderr
    assert len(fake.requests) == 3
    last = fake.requests[-1].json["messages"]
    kinds = [b.get("type") for m in last if isinstance(m["content"], list) for b in m["content"]]
    assert kinds.count("tool_use") == 2 and kinds.count("tool_result") == 2
    sent = upstream_text(fake)
    assert NAME not in sent and PHONE not in sent and "[[PHONE_NUMBER_1]]" in sent
