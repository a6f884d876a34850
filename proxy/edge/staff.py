"""Who is asking: a staff proxy key (only its SHA-256 is in the policy) or a trusted
team header set by an SSO front proxy (only when the policy enables it)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from proxy.errors import Unauthorized
from proxy.policy import Policy

STAFF_KEY_HEADER = "x-sekimori-key"


def _presented_key(headers: Mapping[str, str], credentials_mode: str) -> str | None:
    key = headers.get(STAFF_KEY_HEADER)
    if key:
        return key
    if credentials_mode == "proxy":
        # The provider key is the proxy's, so the SDK's api_key slot carries the staff key.
        auth = headers.get("Authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip() or None
        return headers.get("x-api-key") or None
    return None


def identify_team(policy: Policy, headers: Mapping[str, str]) -> str | None:
    """The team of the caller, ``None`` for the default; raises Unauthorized."""
    auth = policy.auth
    header = auth.trusted_header
    if header.enabled:
        value = headers.get(header.name)
        if value and value in policy.teams():
            return value
    key = _presented_key(headers, policy.credentials.mode)
    if key:
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        for entry in auth.keys:
            if hmac.compare_digest(entry.sha256.lower(), digest):
                return entry.team
    if auth.required:
        raise Unauthorized()
    return None
