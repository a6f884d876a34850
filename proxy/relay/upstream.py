"""The way out: where requests go, with which headers and key, and how long we wait.

Headers are forwarded from an allow-list, so hop-by-hop headers, cookies and the staff's
own proxy credential never reach the provider. Redirects are not followed (aiohttp
would carry the API key to the new host), the environment's proxies are ignored, and
there is no total timeout (a long stream is fine) but a connect, a first-byte and a
between-chunks timeout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy

from proxy.errors import MissingCredential
from proxy.vocabulary import DEFAULT_ANTHROPIC_BASE_URL, DEFAULT_OPENAI_BASE_URL, Family

# Request headers a client may send through to the provider (lower case).
FORWARD_REQUEST_HEADERS = frozenset(
    {
        "accept",
        "anthropic-version",
        "anthropic-beta",
        "openai-organization",
        "openai-project",
        "openai-beta",
        "user-agent",
        "idempotency-key",
        "x-stainless-lang",
        "x-stainless-package-version",
        "x-stainless-os",
        "x-stainless-arch",
        "x-stainless-runtime",
        "x-stainless-runtime-version",
        "x-stainless-retry-count",
        "x-stainless-timeout",
        "x-stainless-async",
    }
)
# Client headers that select the billing account under the key: with the proxy's company
# key they would let a caller charge another organisation or project of the company.
ACCOUNT_HEADERS = frozenset({"openai-organization", "openai-project"})
# Response headers passed back to the client.
FORWARD_RESPONSE_HEADERS = frozenset(
    {
        "content-type",
        "retry-after",
        "x-request-id",
        "request-id",
        "openai-processing-ms",
        "openai-version",
        "openai-organization",
        "anthropic-ratelimit-requests-limit",
        "anthropic-ratelimit-requests-remaining",
        "anthropic-ratelimit-requests-reset",
        "anthropic-ratelimit-tokens-limit",
        "anthropic-ratelimit-tokens-remaining",
        "anthropic-ratelimit-tokens-reset",
        "x-ratelimit-limit-requests",
        "x-ratelimit-limit-tokens",
        "x-ratelimit-remaining-requests",
        "x-ratelimit-remaining-tokens",
        "x-ratelimit-reset-requests",
        "x-ratelimit-reset-tokens",
    }
)


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect: float = 15.0
    first_byte: float = 300.0  # reasoning models think a long time before the first byte
    idle: float = 120.0  # between two chunks of a stream
    max_response_bytes: int = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class UpstreamConfig:
    openai_base_url: str = DEFAULT_OPENAI_BASE_URL
    anthropic_base_url: str = DEFAULT_ANTHROPIC_BASE_URL
    # "proxy": the proxy holds the provider keys; "passthrough": the client's key is used.
    credentials: Literal["proxy", "passthrough"] = "proxy"
    openai_api_key: str | None = field(default=None, repr=False)
    anthropic_api_key: str | None = field(default=None, repr=False)
    timeouts: Timeouts = Timeouts()

    def url(self, family: Family, path: str) -> str:
        """The provider URL for a request path such as ``/v1/chat/completions``."""
        if family == "openai":
            # OPENAI_BASE_URL convention: the base already ends in /v1.
            rest = path[len("/v1") :] if path.startswith("/v1/") else path
            return self.openai_base_url.rstrip("/") + rest
        return self.anthropic_base_url.rstrip("/") + path


def request_headers(
    config: UpstreamConfig, family: Family, incoming: CIMultiDictProxy[str] | Mapping[str, str]
) -> CIMultiDict[str]:
    out: CIMultiDict[str] = CIMultiDict()
    for name, value in incoming.items():
        lowered = name.lower()
        if lowered in FORWARD_REQUEST_HEADERS:
            if config.credentials == "proxy" and lowered in ACCOUNT_HEADERS:
                continue  # the company key picks its own organisation and project
            out[name] = value
    out["Content-Type"] = "application/json"
    if config.credentials == "passthrough":
        if family == "openai" and "authorization" in incoming:
            out["Authorization"] = incoming["authorization"]
        elif family == "anthropic" and "x-api-key" in incoming:
            out["x-api-key"] = incoming["x-api-key"]
        elif family == "anthropic" and "authorization" in incoming:
            out["Authorization"] = incoming["authorization"]
        return out
    key = config.openai_api_key if family == "openai" else config.anthropic_api_key
    if not key:
        raise MissingCredential(family)
    if family == "openai":
        out["Authorization"] = f"Bearer {key}"
    else:
        out["x-api-key"] = key
    return out


def response_headers(incoming: CIMultiDictProxy[str]) -> CIMultiDict[str]:
    out: CIMultiDict[str] = CIMultiDict()
    for name, value in incoming.items():
        if name.lower() in FORWARD_RESPONSE_HEADERS:
            out[name] = value
    return out


def new_session(timeouts: Timeouts) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=200, limit_per_host=100, keepalive_timeout=30)
    timeout = aiohttp.ClientTimeout(
        total=None, connect=timeouts.connect, sock_connect=timeouts.connect, sock_read=None
    )
    return aiohttp.ClientSession(
        connector=connector, timeout=timeout, trust_env=False, auto_decompress=True
    )
