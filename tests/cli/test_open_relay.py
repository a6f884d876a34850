"""The open-relay default (issue 15, item 5): with credentials.mode proxy and
auth.required false, anyone who reaches the port spends the company key. Startup warns
loudly, and client OpenAI-Organization / OpenAI-Project headers never ride on the
company key. Before the fix there was no warning and both headers were forwarded."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict

from proxy.tools.cli import open_relay_warning
from proxy.policy import load_policy, parse_policy
from proxy.relay.upstream import UpstreamConfig, request_headers
from tests.conftest import ROOT


def _policy(mode: str, required: bool):  # type: ignore[no-untyped-def]
    keys = "\n  keys: [{sha256: " + "a" * 64 + ", team: null}]" if required else ""
    return parse_policy(
        f"version: 1\ncredentials:\n  mode: {mode}\nauth:\n  required: {str(required).lower()}{keys}\n",
        "t.yaml",
    )


@pytest.mark.parametrize(
    ("mode", "required", "warns"),
    [("proxy", False, True), ("proxy", True, False), ("passthrough", False, False)],
)
def test_open_relay_warning(mode: str, required: bool, warns: bool) -> None:
    message = open_relay_warning(_policy(mode, required))
    assert (message is not None) is warns
    if message:
        assert "auth.required" in message and "警告" in message


def test_the_shipped_default_warns() -> None:
    assert open_relay_warning(load_policy(ROOT / "config/default.yaml")) is not None


ACCOUNT = {"OpenAI-Organization": "org-other", "OpenAI-Project": "proj-other", "Accept": "*/*"}


def test_account_headers_never_ride_on_the_company_key() -> None:
    out = request_headers(
        UpstreamConfig(credentials="proxy", openai_api_key="sk-company"),
        "openai",
        CIMultiDict(ACCOUNT),
    )
    assert "OpenAI-Organization" not in out and "OpenAI-Project" not in out
    assert out["Accept"] == "*/*" and out["Authorization"] == "Bearer sk-company"


def test_account_headers_pass_with_the_clients_own_key() -> None:
    incoming = CIMultiDict({**ACCOUNT, "Authorization": "Bearer sk-own"})
    out = request_headers(UpstreamConfig(credentials="passthrough"), "openai", incoming)
    assert out["OpenAI-Organization"] == "org-other" and out["OpenAI-Project"] == "proj-other"
