"""Decision and masking are pure: findings in, a verdict and rewritten texts out."""

from __future__ import annotations

import pytest

from detectors.types import Finding
from proxy.relay.decision import decide
from proxy.relay.masking import mask_texts
from proxy.relay.placeholders import PlaceholderMap

ACTIONS = {
    "JP_MY_NUMBER": "block",
    "PERSON": "mask",
    "PHONE_NUMBER": "mask",
    "JP_CORPORATE_NUMBER": "monitor",
    "ORGANIZATION": "allow",
}


def f(entity: str, start: int, end: int, segment: int = 0) -> Finding:
    return Finding(entity, start, end, 0.9, "test", segment)


@pytest.mark.parametrize(
    ("findings", "monitor", "action", "would", "outcome", "reason"),
    [
        ([], False, "clean", "clean", "clean", "clean"),
        ([f("ORGANIZATION", 0, 2)], False, "clean", "clean", "clean", "clean"),
        ([f("JP_CORPORATE_NUMBER", 0, 13)], False, "clean", "clean", "clean", "clean"),
        ([f("PERSON", 0, 2)], False, "mask", "mask", "mask", "masked"),
        (
            [f("PERSON", 0, 2), f("JP_MY_NUMBER", 3, 15)],
            False,
            "block",
            "block",
            "block",
            "sensitive_data_blocked",
        ),
        ([], True, "clean", "clean", "clean", "clean"),
        ([f("PERSON", 0, 2)], True, "clean", "mask", "would_mask", "would_mask"),
        ([f("JP_MY_NUMBER", 3, 15)], True, "clean", "block", "would_block", "would_block"),
    ],
)
def test_decide(findings, monitor, action, would, outcome, reason) -> None:
    d = decide(findings, lambda t: ACTIONS[t], monitor)  # type: ignore[arg-type,return-value]
    assert (d.action, d.would, d.outcome, d.reason) == (action, would, outcome, reason)


@pytest.mark.parametrize(
    ("monitor", "expected"),
    [
        (
            False,
            {
                "block": {"JP_MY_NUMBER": 1},
                "mask": {"PERSON": 1},
                "clean": {"JP_CORPORATE_NUMBER": 1},
            },
        ),
        (
            True,
            {
                "would_block": {"JP_MY_NUMBER": 1},
                "would_mask": {"PERSON": 1},
                "clean": {"JP_CORPORATE_NUMBER": 1},
            },
        ),
    ],
)
def test_findings_are_counted_under_the_outcome_words(monitor, expected) -> None:
    found = [f("PERSON", 0, 2), f("JP_MY_NUMBER", 3, 15), f("JP_CORPORATE_NUMBER", 20, 33)]
    d = decide(found, lambda t: ACTIONS[t], monitor)  # type: ignore[arg-type,return-value]
    assert dict(d.findings_by_outcome) == expected


def test_counts_by_action() -> None:
    d = decide(
        [
            f("PERSON", 0, 2),
            f("PERSON", 5, 7),
            f("JP_MY_NUMBER", 8, 20),
            f("JP_CORPORATE_NUMBER", 21, 34),
        ],
        lambda t: ACTIONS[t],
        False,
    )  # type: ignore[arg-type,return-value]
    assert d.blocked == {"JP_MY_NUMBER": 1}
    assert d.masked == {"PERSON": 2}
    assert d.monitored == {"JP_CORPORATE_NUMBER": 1}
    assert d.counts == {"JP_MY_NUMBER": 1, "PERSON": 2, "JP_CORPORATE_NUMBER": 1}


def test_same_value_same_placeholder_across_segments() -> None:
    texts = ["山田さんと佐藤さん", "山田さんに電話 090-1234-5678"]
    findings = [
        f("PERSON", 0, 2, 0),
        f("PERSON", 5, 7, 0),
        f("PERSON", 0, 2, 1),
        f("PHONE_NUMBER", 8, 21, 1),
    ]
    out = mask_texts(texts, findings, lambda t: ACTIONS[t] == "mask", PlaceholderMap())
    assert out[0] == "[[PERSON_1]]さんと[[PERSON_2]]さん"
    assert out[1] == "[[PERSON_1]]さんに電話 [[PHONE_NUMBER_1]]"


def test_a_found_value_is_masked_where_it_stands_undetected() -> None:
    texts = ["山田様よりご連絡", "山田の件ですが"]
    out = mask_texts(texts, [f("PERSON", 0, 2, 0)], lambda t: True, PlaceholderMap())
    assert out == {0: "[[PERSON_1]]様よりご連絡", 1: "[[PERSON_1]]の件ですが"}


def test_a_found_latin_value_is_not_masked_inside_longer_words() -> None:
    # Codex and Claude Code prompts: a word "read" taken for a name must not turn
    # "already" and the JSON key "thread_id" into placeholders.
    texts = ["read the file", "already read; thread_id; reads", "readの結果"]
    out = mask_texts(texts, [f("PERSON", 0, 4, 0)], lambda t: True, PlaceholderMap())
    assert out == {
        0: "[[PERSON_1]] the file",
        1: "already [[PERSON_1]]; thread_id; reads",
        2: "[[PERSON_1]]の結果",
    }
    # Digits have no word to belong to: a number found once stays masked when glued to letters.
    texts = ["番号 615237485127", "ID615237485127x"]
    out = mask_texts(texts, [f("JP_MY_NUMBER", 3, 15, 0)], lambda t: True, PlaceholderMap())
    assert out[1] == "ID[[JP_MY_NUMBER_1]]x"


def test_overlapping_findings_become_one_placeholder() -> None:
    texts = ["連絡先 taro@example.com まで"]
    findings = [f("EMAIL_ADDRESS", 4, 20), f("PERSON", 4, 8)]
    out = mask_texts(texts, findings, lambda t: True, PlaceholderMap())
    assert out[0] == "連絡先 [[EMAIL_ADDRESS_1]] まで"


def test_unmasked_types_are_left_alone() -> None:
    texts = ["株式会社ABCの山田さん"]
    findings = [f("ORGANIZATION", 0, 7), f("PERSON", 8, 10)]
    out = mask_texts(texts, findings, lambda t: ACTIONS[t] == "mask", PlaceholderMap())
    assert out[0] == "株式会社ABCの[[PERSON_1]]さん"


def test_restore_round_trip() -> None:
    mapping = PlaceholderMap()
    texts = ["山田さん 090-1234-5678"]
    out = mask_texts(texts, [f("PERSON", 0, 2), f("PHONE_NUMBER", 5, 18)], lambda t: True, mapping)
    assert mapping.restore(out[0]) == texts[0]
