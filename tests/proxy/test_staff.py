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


def _policy(*, required: bool, header: bool = True, mode: str = "proxy"):  # type: ignore[no-untyped-def]
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
            identify_team(policy, given)
    else:
        assert identify_team(policy, given) == expected
