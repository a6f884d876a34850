"""What ``sekimori serve`` says when it starts: where it listens, where it forwards, which
provider keys it holds (present or not, never a value) and which policy it runs.

A pure function of the settings, so a test reads the same lines the log prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from proxy.policy import Policy
from proxy.relay.upstream import UpstreamConfig


@dataclass(frozen=True, slots=True)
class Listeners:
    host: str
    port: int
    admin_host: str
    admin_port: int


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def summary(policy: Policy, upstream: UpstreamConfig, listeners: Listeners) -> list[str]:
    """The startup summary, one log line each."""
    doc = policy.document
    keys = policy.credentials
    present = {
        keys.openai_key_env: upstream.openai_api_key is not None,
        keys.anthropic_key_env: upstream.anthropic_api_key is not None,
    }
    shown = ", ".join(f"{name} {'set' if ok else 'missing'}" for name, ok in present.items())
    teams = policy.teams()
    return [
        f"listen: proxy {_url(listeners.host, listeners.port)}, "
        f"admin {_url(listeners.admin_host, listeners.admin_port)} (/healthz /readyz /metrics "
        "/playground)",
        f"upstream openai: {upstream.openai_base_url}",
        f"upstream anthropic: {upstream.anthropic_base_url}",
        f"credentials: {upstream.credentials}"
        + (f"; provider keys: {shown}" if upstream.credentials == "proxy" else " (client keys)"),
        f"policy: {policy.source} (sha256 {policy.digest[:12]}), mode {doc.mode}, "
        f"detection {doc.detection_mode}, {len(policy.entities_for(None))} entity types, "
        f"{len(doc.custom_patterns)} custom patterns, {len(doc.dictionaries)} dictionaries, "
        f"{len(teams)} teams" + (f" ({', '.join(teams)})" if teams else ""),
    ]


def missing_key_warning(upstream: UpstreamConfig, policy: Policy) -> str | None:
    """A bilingual warning when the proxy holds no provider key, else None."""
    if upstream.credentials != "proxy":
        return None
    if upstream.openai_api_key is not None or upstream.anthropic_api_key is not None:
        return None
    keys = policy.credentials
    return (
        "プロバイダーの API キーが設定されていません。すべてのリクエストは 503 "
        "(missing_upstream_credential) で止まります。"
        f"{keys.openai_key_env} / {keys.anthropic_key_env}（または …_FILE）を設定するか、"
        "キーなしで試すには make try を使ってください。"
        " / No provider API key is configured: every request will be answered 503 "
        f"(missing_upstream_credential). Set {keys.openai_key_env} / {keys.anthropic_key_env} "
        "(or …_FILE), or run `make try` to try the proxy without a key."
    )
