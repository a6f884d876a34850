"""Policy schema and loader: shipped policies validate, bad ones fail with exact located errors."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path
from typing import get_args

import pytest

from detectors.checksums import VALIDATORS
from detectors.entities import ENTITIES
from detectors.settings import EntitySettings
from proxy.policy import (
    DEFAULT_ACTIONS,
    Action,
    PolicyError,
    UnknownTeamError,
    ValidatorName,
    default_policy,
    effective_upstreams,
    export_schema,
    load_policy,
    parse_policy,
)
from proxy.tools.check_config import run_check_config

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config"
SHIPPED = [CONFIG / "default.yaml", *sorted((CONFIG / "examples").glob("*.yaml"))]


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    return str(caught.value).replace(str(tmp_path) + "/", "")


# -- shipped policies -----------------------------------------------------------------------
def test_there_are_example_policies() -> None:
    assert len(SHIPPED) >= 3


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_policy_validates(path: Path) -> None:
    policy = load_policy(path)
    for team in [None, *policy.teams()]:
        assert policy.detection_settings(team).entities
        assert policy.describe(team)


def test_default_yaml_equals_builtin_default() -> None:
    shipped = load_policy(CONFIG / "default.yaml")
    builtin = default_policy()
    # Entities and upstreams are spelled out in the file and implied in code; compare effects.
    skip = {"entities", "upstreams"}
    assert shipped.document.model_dump(exclude=skip) == builtin.document.model_dump(exclude=skip)
    assert effective_upstreams(shipped, {}) == effective_upstreams(builtin, {})
    assert shipped.entities_for(None) == builtin.entities_for(None)
    assert shipped.detection_settings(None) == builtin.detection_settings(None)
    assert shipped.teams() == []


def test_default_actions_match_the_brief() -> None:
    policy = load_policy(CONFIG / "default.yaml")
    blocked = {
        "JP_MY_NUMBER",
        "CREDIT_CARD",
        "JP_BANK_ACCOUNT",
        "JP_PASSPORT",
        "JP_DRIVER_LICENSE",
        "JP_RESIDENCE_CARD",
        "JP_PENSION_NUMBER",
        "SECRET",
        "JP_HEALTH_INSURANCE",
        "JP_EMPLOYMENT_INSURANCE",
        "JP_RESIDENT_CODE",
        "CONFIDENTIAL_MARKER",
        "SENSITIVE_PERSONAL_INFO",
    }
    masked = {
        "PERSON",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
        "ADDRESS",
        "JP_POSTAL_CODE",
        "DATE_OF_BIRTH",
    }
    for name in blocked:
        assert policy.action_for(None, name) is Action.BLOCK, name
    for name in masked:
        assert policy.action_for(None, name) is Action.MASK, name
    assert policy.action_for(None, "JP_CORPORATE_NUMBER") is Action.MONITOR
    assert set(DEFAULT_ACTIONS) == set(ENTITIES)
    assert policy.non_text_parts == "block"
    assert policy.server_state == "block"
    assert policy.credentials.mode == "proxy"
    assert policy.mode_for(None) == "enforce"
    assert policy.limits.max_body_bytes == 16 * 1024 * 1024
    assert policy.limits.max_scan_chars == 1_000_000


def test_validator_names_match_the_checksum_module() -> None:
    assert set(get_args(ValidatorName)) == set(VALIDATORS)


def test_schema_file_is_current() -> None:
    committed = json.loads((CONFIG / "policy.schema.json").read_text(encoding="utf-8"))
    assert committed == export_schema(), "run: python -m proxy.policy > config/policy.schema.json"


def test_digest_is_sha256_of_file_bytes(tmp_path: Path) -> None:
    import hashlib

    path = write(tmp_path, "version: 1\nmode: monitor\n")
    assert load_policy(path).digest == hashlib.sha256(path.read_bytes()).hexdigest()


# -- malformed policies: exact messages -----------------------------------------------------
BAD = [
    pytest.param(
        """
        version: 1
        entities:
          JP_MY_NUMBER:
            action: blokc
        """,
        "policy.yaml:4:5: entities.JP_MY_NUMBER.action: 'blokc' は使えません（block / mask / "
        "monitor / allow のいずれか） / 'blokc' is not one of block, mask, monitor, allow",
        id="action-typo",
    ),
    pytest.param(
        """
        version: 1
        entities:
          PERSON: {action: mask, threshold: 1.5}
        """,
        "policy.yaml:3:26: entities.PERSON.threshold: 1.5 は範囲外です（1 以下にしてください） "
        "/ 1.5 is out of range (must be at most 1)",
        id="threshold-over-1",
    ),
    pytest.param(
        """
        version: 1
        limits:
          max_body_bytes: "16MB"
        """,
        "policy.yaml:3:3: limits.max_body_bytes: 整数を指定してください（文字列が書かれています）"
        " / expected an integer, got a string",
        id="wrong-type",
    ),
    pytest.param(
        """
        version: 1
        modee: monitor
        """,
        "policy.yaml:2:1: modee: 'modee' というキーはありません（mode の誤りですか？） / "
        "unknown key 'modee' (did you mean mode?)",
        id="unknown-key",
    ),
    pytest.param(
        """
        version: 1
        limits:
          colour: blue
        """,
        "policy.yaml:3:3: limits.colour: 'colour' というキーはありません / unknown key 'colour'",
        id="unknown-nested-key",
    ),
    pytest.param(
        """
        mode: enforce
        """,
        "policy.yaml:1:1: version: 必須のキーがありません / required key is missing",
        id="missing-version",
    ),
    pytest.param(
        """
        version: 2
        """,
        "policy.yaml:1:1: version: 2 は使えません（1 のみ） / 2 must be 1",
        id="wrong-version",
    ),
    pytest.param(
        """
        version: 1
        custom_patterns:
          - name: employee
            entity_type: EMPLOYEE_ID
            regex: 'E(\\d{6}'
        """,
        "policy.yaml:5:5: custom_patterns[0].regex: 正規表現が正しくありません（missing ), "
        "unterminated subpattern、位置 1） / invalid regular expression: missing ), "
        "unterminated subpattern at position 1",
        id="bad-regex",
    ),
    pytest.param(
        """
        version: 1
        custom_patterns:
          - name: words
            entity_type: WORDS
            regex: '(\\w+\\s?)+$'
        """,
        "policy.yaml:5:5: custom_patterns[0].regex: 正規表現に入れ子の繰り返しがあり、"
        "処理時間が爆発するおそれがあります / nested quantifiers can cause catastrophic "
        "backtracking",
        id="catastrophic-regex",
    ),
    pytest.param(
        """
        version: 1
        custom_patterns:
          - name: anything
            entity_type: ANYTHING
            regex: '\\d*'
        """,
        "policy.yaml:5:5: custom_patterns[0].regex: 正規表現が空文字列に一致します / "
        "the regular expression matches the empty string",
        id="empty-matching-regex",
    ),
    pytest.param(
        """
        version: 1
        custom_patterns:
          - name: employee
            entity_type: EMPLOYEE_ID
        """,
        "policy.yaml:3:5: custom_patterns[0].regex: 必須のキーがありません / "
        "required key is missing",
        id="missing-nested-key",
    ),
    pytest.param(
        """
        version: 1
        custom_patterns:
          - name: employee
            entity_type: EMPLOYEE_ID
            regex: 'E\\d{6}'
            validator: mod11
        """,
        "policy.yaml:6:5: custom_patterns[0].validator: 'mod11' は使えません（my_number / "
        "corporate_number / luhn / driver_license / insurer_number / icao のいずれか） / "
        "'mod11' is not one of my_number, corporate_number, luhn, driver_license, "
        "insurer_number, icao",
        id="unknown-validator",
    ),
    pytest.param(
        """
        version: 1
        dictionaries:
          - entity_type: CUSTOMER
            file: lists/customers.txt
        """,
        "policy.yaml:4:5: dictionaries[0].file: 辞書ファイルが見つかりません: "
        "lists/customers.txt / dictionary file not found: lists/customers.txt",
        id="missing-dictionary",
    ),
    pytest.param(
        """
        version: 1
        teams:
          Sales Team:
            mode: monitor
        """,
        "policy.yaml:3:3: teams.Sales Team: チーム名 'Sales Team' は使えません（英小文字・数字・_・- "
        "で32文字まで、先頭は英小文字か数字） / team name 'Sales Team' must match "
        "^[a-z0-9][a-z0-9_-]{0,31}$",
        id="bad-team-name",
    ),
    pytest.param(
        """
        version: 1
        teams:
          default:
            mode: monitor
        """,
        "policy.yaml:3:3: teams.default: チーム名 'default' は予約されています（チームなしの呼び名です）"
        " / team name 'default' is reserved (it names requests without a team)",
        id="reserved-team-name",
    ),
    pytest.param(
        """
        version: 1
        entities:
          JP_MY_NUMBR: {action: block}
        """,
        "policy.yaml:3:3: entities.JP_MY_NUMBR: 'JP_MY_NUMBR' は不明なエンティティ種別です"
        "（JP_MY_NUMBER の誤りですか？ 新しい種別は custom_patterns か dictionaries で定義して"
        "ください） / unknown entity type 'JP_MY_NUMBR' (did you mean JP_MY_NUMBER? define new "
        "types in custom_patterns or dictionaries)",
        id="unknown-entity",
    ),
    pytest.param(
        """
        version: 1
        teams:
          sales:
            entities:
              EMPLOYEE_ID: {action: mask}
        """,
        "policy.yaml:5:7: teams.sales.entities.EMPLOYEE_ID: 'EMPLOYEE_ID' は不明なエンティティ種別"
        "です（新しい種別は custom_patterns か dictionaries で定義してください） / unknown entity "
        "type 'EMPLOYEE_ID' (define new types in custom_patterns or dictionaries)",
        id="unknown-entity-in-team",
    ),
    pytest.param(
        """
        version: 1
        mode: enforce
        entities:
          PERSON: {action: mask}
        mode: monitor
        """,
        "policy.yaml:5:1: mode: キー 'mode' が重複しています（2 行目にもあります） / "
        "duplicate key 'mode' (also on line 2)",
        id="duplicate-key",
    ),
    pytest.param(
        """
        version: 1
        entities:
          PERSON: {action: mask
        mode: monitor
        """,
        "policy.yaml:4:5: YAML の構文エラーです（expected ',' or '}', but got ':'） / "
        "YAML syntax error: expected ',' or '}', but got ':'",
        id="yaml-syntax",
    ),
    pytest.param(
        """
        version: 1
        auth:
          keys:
            - sha256: my-secret-key
        """,
        "policy.yaml:4:7: auth.keys[0].sha256: SHA-256 の16進数64桁を指定してください（キーそのもの"
        "は書かないでください） / expected 64 hex digits of a SHA-256 (never the key itself)",
        id="sha256-not-hex",
    ),
    pytest.param(
        f"""
        version: 1
        auth:
          keys:
            - sha256: {"ab" * 32}
              team: sales
        """,
        "policy.yaml:5:7: auth.keys[0].team: チーム 'sales' は teams に定義されていません / "
        "team 'sales' is not defined under teams",
        id="key-for-unknown-team",
    ),
    pytest.param(
        """
        version: 1
        upstreams:
          openai:
            base_url: ftp://api.openai.com
        """,
        "policy.yaml:4:5: upstreams.openai.base_url: http(s)://ホスト名 で始まる URL を指定して"
        "ください / expected an http(s):// URL with a host",
        id="bad-upstream-url",
    ),
    pytest.param(
        """
        version: 1
        non_text_parts: yes
        """,
        "policy.yaml:2:1: non_text_parts: true は使えません（block / allow のいずれか） / "
        "true is not one of block, allow",
        id="yaml-boolean-trap",
    ),
    pytest.param(
        """
        version: 1
        limits:
          scan_timeout_seconds: 0
        """,
        "policy.yaml:3:3: limits.scan_timeout_seconds: 0 は範囲外です（0.1 以上にしてください） / "
        "0 is out of range (must be at least 0.1)",
        id="limit-out-of-range",
    ),
    pytest.param(
        """
        - version: 1
        """,
        "policy.yaml:1:1: ポリシーの最上位はマッピング（キー: 値）にしてください / "
        "the top level of the policy must be a mapping",
        id="top-level-list",
    ),
    pytest.param("", "policy.yaml:1:1: ファイルが空です / the file is empty", id="empty-file"),
    pytest.param(
        """
        base: &base {mode: monitor}
        version: 1
        teams:
          sales:
            <<: *base
        """,
        "policy.yaml:5:5: teams.sales: マージキー（<<）は使えません。値を書き出してください / "
        "merge keys (<<) are not supported; write the values out",
        id="merge-key",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_malformed_policy_is_rejected_with_exact_message(
    tmp_path: Path, text: str, message: str
) -> None:
    assert error_of(tmp_path, text) == message


def test_missing_dictionary_names_the_resolved_path(tmp_path: Path) -> None:
    # Relative to the policy file, not to the working directory.
    path = write(
        tmp_path,
        """
        version: 1
        dictionaries:
          - {entity_type: CUSTOMER, file: nope.txt}
        """,
    )
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    (issue,) = caught.value.issues
    assert (issue.line, issue.column, issue.path) == (3, 29, "dictionaries[0].file")
    assert str(tmp_path / "nope.txt") in issue.en


def test_all_errors_are_reported_in_line_order(tmp_path: Path) -> None:
    message = error_of(
        tmp_path,
        """
        version: 1
        mode: monitr
        entities:
          PERSON: {action: masc}
        """,
    )
    lines = message.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == ["policy.yaml:2:1", "policy.yaml:4:12"]
    assert lines[1].startswith("policy.yaml:4:12: entities.PERSON.action:")


def test_missing_policy_file_is_a_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path / "absent.yaml")
    assert str(caught.value).startswith(f"{tmp_path / 'absent.yaml'}: ポリシーファイルを読めません")


def test_shift_jis_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "sjis.yaml"
    path.write_bytes("version: 1\n# 社外秘\n".encode("shift_jis"))
    with pytest.raises(PolicyError, match="UTF-8"):
        load_policy(path)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffversion: 1\nmode: monitor\n".encode())
    assert load_policy(path).mode_for(None) == "monitor"


def test_recursive_alias_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="エイリアスが自分自身"):
        load_policy(write(tmp_path, "version: 1\nx: &a [*a]\n"))


def test_conflicting_dictionary_action_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_text("株式会社みなと精機\n", encoding="utf-8")
    message = error_of(
        tmp_path,
        """
        version: 1
        entities:
          CUSTOMER: {action: block}
        dictionaries:
          - entity_type: CUSTOMER
            file: c.txt
            action: mask
        """,
    )
    assert message == (
        "policy.yaml:7:5: dictionaries[0].action: CUSTOMER の action が entities の "
        "'block' と食い違います / CUSTOMER action conflicts with 'block' under "
        "entities"
    )


@pytest.mark.parametrize(
    "regex", [r"\bE\d{6}\b", r"(\d{3}-?)+", r"[A-Z]{2}\d{7}", r"(?:0\d{1,4}-\d{1,4}-\d{4})"]
)
def test_ordinary_regexes_are_accepted(regex: str) -> None:
    text = f"version: 1\ncustom_patterns:\n  - {{name: x, entity_type: X_ID, regex: '{regex}'}}\n"
    policy = parse_policy(text, "inline.yaml")
    assert policy.detection_settings(None).custom_patterns[0].regex == regex
    assert policy.action_for(None, "X_ID") is Action.BLOCK  # a new type with no action


# -- resolution: layers, teams, dictionaries ------------------------------------------------
TEAMS = """
version: 1
mode: enforce
entities:
  PERSON: {action: mask, threshold: 0.6, context: [氏名]}
  JP_CORPORATE_NUMBER: {action: allow}
  EMPLOYEE_ID: {action: mask}
custom_patterns:
  - {name: employee, entity_type: EMPLOYEE_ID, regex: 'E\\d{6}', score: 0.7}
dictionaries:
  - {entity_type: CUSTOMER, file: customers.txt}
teams:
  hr:
    detection_mode: thorough
    entities:
      PERSON: {threshold: 0.3}
      JP_MY_NUMBER: {context: [扶養]}
  pilot:
    mode: monitor
    entities:
      EMPLOYEE_ID: {action: allow}
    dictionaries:
      - {entity_type: CODENAME, file: codenames.txt, action: mask}
      - {entity_type: CUSTOMER, file: more-customers.txt}
"""


@pytest.fixture()
def teams_policy(tmp_path: Path) -> Path:
    (tmp_path / "customers.txt").write_text(
        "# 顧客\n株式会社みなと精機\n東雲フーズ株式会社\n", encoding="utf-8"
    )
    (tmp_path / "more-customers.txt").write_text(
        "東雲フーズ株式会社\n有限会社さくら物産\n", encoding="utf-8"
    )
    (tmp_path / "codenames.txt").write_text("ハヤブサ計画\n", encoding="utf-8")
    return write(tmp_path, TEAMS)


def test_top_level_overrides_builtin_defaults(teams_policy: Path) -> None:
    policy = load_policy(teams_policy)
    settings = policy.detection_settings(None)
    assert settings.entities["PERSON"] == EntitySettings(0.6, ("氏名",), ())
    # allow means "not scanned at all"
    assert "JP_CORPORATE_NUMBER" not in settings.entities
    assert policy.action_for(None, "JP_CORPORATE_NUMBER") is Action.ALLOW
    # untouched entities keep the built-in action
    assert policy.action_for(None, "JP_MY_NUMBER") is Action.BLOCK
    assert settings.dictionaries == {"CUSTOMER": ("株式会社みなと精機", "東雲フーズ株式会社")}
    assert [p.name for p in settings.custom_patterns] == ["employee"]
    assert settings.mode == "rules"
    assert policy.mode_for(None) == "enforce"


def test_team_overrides_merge_field_by_field(teams_policy: Path) -> None:
    policy = load_policy(teams_policy)
    hr = policy.detection_settings("hr")
    # threshold from the team, action and context inherited from the top level
    assert hr.entities["PERSON"] == EntitySettings(0.3, ("氏名",), ())
    assert policy.action_for("hr", "PERSON") is Action.MASK
    assert hr.entities["JP_MY_NUMBER"] == EntitySettings(0.5, ("扶養",), ())
    assert hr.mode == "thorough"
    assert policy.mode_for("hr") == "enforce"
    assert hr.dictionaries == policy.detection_settings(None).dictionaries


def test_team_dictionaries_extend_the_top_level(teams_policy: Path) -> None:
    policy = load_policy(teams_policy)
    pilot = policy.detection_settings("pilot")
    assert pilot.dictionaries == {
        "CODENAME": ("ハヤブサ計画",),
        "CUSTOMER": ("株式会社みなと精機", "東雲フーズ株式会社", "有限会社さくら物産"),
    }
    assert policy.action_for("pilot", "CODENAME") is Action.MASK
    assert policy.action_for(None, "CODENAME") is Action.BLOCK  # the team's action stays there
    assert policy.mode_for("pilot") == "monitor"
    assert policy.action_for("pilot", "EMPLOYEE_ID") is Action.ALLOW
    assert pilot.custom_patterns == ()  # its only type is allowed: nothing to run
    assert "CODENAME" not in policy.detection_settings(None).dictionaries


def test_teams_and_unknown_team(teams_policy: Path) -> None:
    policy = load_policy(teams_policy)
    assert policy.teams() == ["hr", "pilot"]
    assert policy.detection_settings("hr") is policy.detection_settings("hr")  # cached
    with pytest.raises(UnknownTeamError):
        policy.detection_settings("sales")
    assert policy.action_for(None, "SOMETHING_NEW") is Action.BLOCK


def test_describe_names_actions_and_dictionary_counts(teams_policy: Path) -> None:
    text = load_policy(teams_policy).describe("pilot")
    assert "チーム pilot / team pilot" in text
    assert "monitor: forward everything" in text
    assert "CODENAME: codenames.txt  1 語 / 1 terms" in text
    assert "CUSTOMER: customers.txt  2 語 / 2 terms" in text
    allowed = text.split("allow (not scanned)")[1].split("辞書")[0]
    assert "EMPLOYEE_ID" in allowed and "JP_CORPORATE_NUMBER" in allowed
    assert "JP_MY_NUMBER" not in allowed


def test_settings_fingerprint_differs_between_teams(teams_policy: Path) -> None:
    policy = load_policy(teams_policy)
    prints = {policy.detection_settings(t).fingerprint() for t in [None, *policy.teams()]}
    assert len(prints) == 3


# -- upstreams ------------------------------------------------------------------------------
def test_upstream_defaults() -> None:
    up = effective_upstreams(default_policy(), {})
    assert (up.openai, up.anthropic) == ("https://api.openai.com/v1", "https://api.anthropic.com")


def test_upstream_policy_then_environment() -> None:
    policy = parse_policy(
        "version: 1\nupstreams:\n  openai: {base_url: 'https://gw.example.co.jp/v1'}\n", "p.yaml"
    )
    assert effective_upstreams(policy, {}).openai == "https://gw.example.co.jp/v1"
    env = {
        "SEKIMORI_OPENAI_BASE_URL": "http://127.0.0.1:9999/v1",
        "SEKIMORI_ANTHROPIC_BASE_URL": "http://127.0.0.1:9998",
    }
    up = effective_upstreams(policy, env)
    assert (up.openai, up.anthropic) == ("http://127.0.0.1:9999/v1", "http://127.0.0.1:9998")
    assert effective_upstreams(policy, {"SEKIMORI_OPENAI_BASE_URL": ""}).openai == (
        "https://gw.example.co.jp/v1"
    )


def test_upstream_environment_is_validated() -> None:
    with pytest.raises(PolicyError) as caught:
        effective_upstreams(
            default_policy(), {"SEKIMORI_ANTHROPIC_BASE_URL": "https://user:pw@example.com"}
        )
    assert str(caught.value) == (
        "$SEKIMORI_ANTHROPIC_BASE_URL: URL に認証情報を含めないでください / "
        "the URL must not contain credentials"
    )


# -- check-config ---------------------------------------------------------------------------
def test_check_config_valid(teams_policy: Path) -> None:
    out = io.StringIO()
    assert run_check_config(teams_policy, out, environ={}) == 0
    text = out.getvalue()
    assert text.startswith("ポリシーは有効です / the policy is valid")
    for header in ("default (no team)", "team hr", "team pilot"):
        assert header in text


def test_check_config_invalid(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nmode: monitr\n")
    out = io.StringIO()
    assert run_check_config(path, out, environ={}) == 2
    lines = out.getvalue().splitlines()
    assert lines[0] == f"ポリシーは無効です / the policy is invalid: {path}"
    assert lines[1] == (
        f"{path}:2:1: mode: 'monitr' は使えません（enforce / monitor のいずれか） / "
        "'monitr' is not one of enforce, monitor"
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_check_config_shipped(path: Path) -> None:
    assert run_check_config(path, io.StringIO(), environ={}) == 0
