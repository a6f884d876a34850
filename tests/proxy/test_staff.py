"""Who is asking: staff keys and the trusted team header, and their precedence (issue 15,
item 4). Before the fix the header was read first: a key of one team plus the header of
another (or a default-team key plus any header) reached the other team's policy, and of a
repeated header the first copy won."""

from __future__ import annotations

import hashlib

import pytest
from multidict import CIMultiDict

from proxy.policy import parse_policy
from proxy.edge.staff import Unauthorized, identify_team


def _sha(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _policy(*, required: bool, header: bool = True, mode: str = "proxy", sources: str = ""):  # type: ignore[no-untyped-def]
    return parse_policy(
        f"""
version: 1
credentials:
  mode: {mode}
auth:
  required: {str(required).lower()}
  keys:
    - {{sha256: {_sha("sales-key")}, team: sales}}
    - {{sha256: {_sha("default-key")}}}
  trusted_header:
    enabled: {str(header).lower()}
    name: X-Sekimori-Team
{sources}
teams:
  sales: {{}}
  audit:
    mode: monitor
""",
        "test.yaml",
    )


H = "X-Sekimori-Team"
KEY = "x-sekimori-key"
REFUSED = "401"

CASES = [
    # (label, required, header enabled, headers, expected team / REFUSED)
    ("key alone", True, True, [(KEY, "sales-key")], "sales"),
    (
        "key wins over another team's header",
        True,
        True,
        [(KEY, "sales-key"), (H, "audit")],
        "sales",
    ),
    (
        "default key cannot be lifted by a header",
        True,
        True,
        [(KEY, "default-key"), (H, "audit")],
        None,
    ),
    (
        "default key cannot be lifted (optional auth)",
        False,
        True,
        [(KEY, "default-key"), (H, "audit")],
        None,
    ),
    (
        "bearer key wins too",
        True,
        True,
        [("Authorization", "Bearer sales-key"), (H, "audit")],
        "sales",
    ),
    ("header alone when enabled", True, True, [(H, "audit")], "audit"),
    (
        "header with a dummy SDK key",
        True,
        True,
        [("Authorization", "Bearer sk-dummy"), (H, "sales")],
        "sales",
    ),
    ("header ignored when disabled", False, False, [(H, "audit")], None),
    ("header ignored when disabled, auth required", True, False, [(H, "audit")], REFUSED),
    ("unknown team in header", True, True, [(H, "nobody")], REFUSED),
    ("unknown team in header, optional auth", False, True, [(H, "nobody")], None),
    ("duplicated header refused", False, True, [(H, "sales"), (H, "audit")], REFUSED),
    ("duplicated header, same value, refused", True, True, [(H, "sales"), (H, "sales")], REFUSED),
    ("comma-joined header is not a team", True, True, [(H, "sales, audit")], REFUSED),
    ("wrong key, no header, auth required", True, True, [(KEY, "nope")], REFUSED),
    ("nothing, optional auth", False, True, [], None),
]


@pytest.mark.parametrize(
    ("required", "header", "headers", "expected"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_identify_team(
    required: bool, header: bool, headers: list[tuple[str, str]], expected: str | None
) -> None:
    policy = _policy(required=required, header=header)
    given = CIMultiDict(headers)
    if expected == REFUSED:
        with pytest.raises(Unauthorized):
            identify_team(policy, given, "127.0.0.1")
    else:
        assert identify_team(policy, given, "127.0.0.1") == expected


# The header counts only from the front proxy's addresses (issue 15, item 4, the rest).
# Before the fix identify_team took no peer address and honoured the header from anyone.
FRONT = "    trusted_sources: [10.1.2.0/24, 'fd00::/64']"
SOURCE_CASES = [
    # (label, sources line, peer, headers, required, expected)
    ("loopback trusted by default", "", "127.0.0.1", [(H, "audit")], True, "audit"),
    ("IPv6 loopback trusted by default", "", "::1", [(H, "audit")], True, "audit"),
    ("pod address not trusted by default", "", "10.1.2.3", [(H, "audit")], True, REFUSED),
    ("default: outsider falls to default team", "", "10.1.2.3", [(H, "audit")], False, None),
    ("inside the configured range", FRONT, "10.1.2.77", [(H, "audit")], True, "audit"),
    ("IPv4-mapped IPv6 inside the range", FRONT, "::ffff:10.1.2.77", [(H, "audit")], True, "audit"),
    ("IPv6 inside the range", FRONT, "fd00::5", [(H, "audit")], True, "audit"),
    ("just outside the range", FRONT, "10.1.3.1", [(H, "audit")], True, REFUSED),
    ("loopback no longer trusted once listed", FRONT, "127.0.0.1", [(H, "audit")], True, REFUSED),
    ("no peer address (unix socket)", FRONT, None, [(H, "audit")], True, REFUSED),
    ("not an address", FRONT, "unix:/tmp/s", [(H, "audit")], True, REFUSED),
    (
        "outsider with a valid key: the key decides",
        FRONT,
        "192.0.2.1",
        [(KEY, "sales-key"), (H, "audit")],
        True,
        "sales",
    ),
    (
        "outsider's duplicate header is ignored, not trusted",
        FRONT,
        "192.0.2.1",
        [(H, "sales"), (H, "audit")],
        False,
        None,
    ),
]


@pytest.mark.parametrize(
    ("sources", "remote", "headers", "required", "expected"),
    [c[1:] for c in SOURCE_CASES],
    ids=[c[0] for c in SOURCE_CASES],
)
def test_trusted_sources(
    sources: str,
    remote: str | None,
    headers: list[tuple[str, str]],
    required: bool,
    expected: str | None,
) -> None:
    policy = _policy(required=required, sources=sources)
    given = CIMultiDict(headers)
    if expected == REFUSED:
        with pytest.raises(Unauthorized):
            identify_team(policy, given, remote)
    else:
        assert identify_team(policy, given, remote) == expected


@pytest.mark.parametrize("bad", ["10.0.0.0/33", "example.com", "", "10.0.0.1/8x"])
def test_trusted_sources_must_be_networks(bad: str) -> None:
    from proxy.policy import PolicyError

    with pytest.raises(PolicyError, match="trusted_sources"):
        _policy(required=True, sources=f"    trusted_sources: ['{bad}']")
