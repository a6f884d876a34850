"""Who is asking: a staff proxy key (only its SHA-256 is in the policy) or a trusted
team header set by an SSO front proxy (only when the policy enables it).

Precedence, stated once:
1. A valid staff key decides the team. A team header never changes it (a key of one team
   plus the header of another must not reach the other team's policy).
2. Otherwise the trusted header, when enabled and sent by a peer inside
   ``auth.trusted_header.trusted_sources`` (the front proxy's addresses; loopback by
   default), names the team: exactly one value, a team the policy knows. A repeated header
   is refused (which copy the front proxy set cannot be told apart from one the client
   added). From any other peer the header is ignored, as if it were not there.
3. Otherwise, with ``auth.required`` the caller is refused; without it, the default team.

The peer address is the TCP source as this process sees it (never X-Forwarded-For): the
front proxy must strip any copy the client sent.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache

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


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(c, strict=False) for c in cidrs)


def _trusted_peer(remote: str | None, cidrs: Iterable[str]) -> bool:
    if not remote:
        return False
    try:
        address = ipaddress.ip_address(remote.split("%", 1)[0])  # drop an IPv6 zone
    except ValueError:
        return False  # a Unix socket or anything that is not an IP address
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in _networks(tuple(cidrs)))


def identify_team(
    policy: Policy, headers: Mapping[str, str], remote: str | None = None
) -> str | None:
    """The team of the caller, ``None`` for the default; raises Unauthorized.

    ``remote`` is the peer's IP address (``request.remote``); without it the team header
    is never honoured."""
    auth = policy.auth
    key = _presented_key(headers, policy.credentials.mode)
    if key:
        entry = _key_entry(policy, key)
        if entry is not None:
            return entry.team  # None (the default team) included: the header cannot lift it
    header = auth.trusted_header
    if header.enabled and _trusted_peer(remote, header.trusted_sources):
        values = _header_values(headers, header.name)
        if len(values) > 1:
            raise Unauthorized()
        if values and values[0] in policy.teams():
            return values[0]
    if auth.required:
        raise Unauthorized()
    return None
