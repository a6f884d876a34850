"""Who is asking: a staff proxy key (only its SHA-256 is in the policy) or a trusted
team header set by an SSO front proxy (only when the policy enables it).

Precedence, stated once:
1. A valid staff key decides the team. A team header never changes it (a key of one team
   plus the header of another must not reach the other team's policy).
2. Otherwise the trusted header, when enabled, names the team: exactly one value, a team
   the policy knows. A repeated header is refused (which copy the front proxy set cannot
   be told apart from one the client added).
3. Otherwise, with ``auth.required`` the caller is refused; without it, the default team.

The header is only as trustworthy as the path to this port: enable it only when every
request comes through the SSO front proxy, which sets the header and strips any copy the
client sent (a NetworkPolicy or a loopback-only listener keeps clients from reaching the
proxy directly).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from proxy.errors import Unauthorized
from proxy.policy import Policy
from proxy.policy.schema import StaffKey

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


def _header_values(headers: Mapping[str, str], name: str) -> list[str]:
    getall = getattr(headers, "getall", None)  # aiohttp's multidict keeps every copy
    if getall is not None:
        return list(getall(name, []))
    value = headers.get(name)
    return [] if value is None else [value]


def _key_entry(policy: Policy, key: str) -> StaffKey | None:
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    for entry in policy.auth.keys:
        if hmac.compare_digest(entry.sha256.lower(), digest):
            return entry
    return None


def identify_team(policy: Policy, headers: Mapping[str, str]) -> str | None:
    """The team of the caller, ``None`` for the default; raises Unauthorized."""
    auth = policy.auth
    key = _presented_key(headers, policy.credentials.mode)
    if key:
        entry = _key_entry(policy, key)
        if entry is not None:
            return entry.team  # None (the default team) included: the header cannot lift it
    header = auth.trusted_header
    if header.enabled:
        values = _header_values(headers, header.name)
        if len(values) > 1:
            raise Unauthorized()
        if values and values[0] in policy.teams():
            return values[0]
    if auth.required:
        raise Unauthorized()
    return None
