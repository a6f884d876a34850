"""PlaceholderMap numbering and restore, and StreamRestorer hold-back."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proxy.relay.placeholders import PlaceholderMap, StreamRestorer

VALUES = [
    ("PERSON", "山田太郎"),
    ("PHONE_NUMBER", "090-1234-5678"),
    ("PERSON", 'Bob "B" \\ O'),
    ("EMAIL_ADDRESS", "a@b.jp"),
    ("PERSON", "山田太郎"),
    ("PERSON_NAME", "x"),
]


def _mapping() -> PlaceholderMap:
    mapping = PlaceholderMap()
    for kind, value in VALUES:
        mapping.placeholder_for(kind, value)
    return mapping


def test_numbering_is_per_type_in_order_of_first_appearance() -> None:
    mapping = PlaceholderMap()
    got = [mapping.placeholder_for(kind, value) for kind, value in VALUES]
    assert got == [
        "[[PERSON_1]]",
        "[[PHONE_NUMBER_1]]",
        "[[PERSON_2]]",
        "[[EMAIL_ADDRESS_1]]",
        "[[PERSON_1]]",
        "[[PERSON_NAME_1]]",
    ]
    assert len(mapping) == 5 and mapping


def test_same_value_of_another_type_gets_its_own_placeholder() -> None:
    mapping = PlaceholderMap()
    assert mapping.placeholder_for("PERSON", "Kato") == "[[PERSON_1]]"
    assert mapping.placeholder_for("ORG", "Kato") == "[[ORG_1]]"


def test_empty_map_is_falsy_and_restores_nothing() -> None:
    mapping = PlaceholderMap()
    assert not mapping and len(mapping) == 0
    assert mapping.restore("[[PERSON_1]]") == "[[PERSON_1]]"


@pytest.mark.parametrize("kind", ["person", "1PERSON", "", "PER-SON", "PERSON "])
def test_bad_entity_type_is_refused(kind: str) -> None:
    with pytest.raises(ValueError):
        PlaceholderMap().placeholder_for(kind, "v")


def test_repr_shows_no_values() -> None:
    assert "山田" not in repr(_mapping()) and "5" in repr(_mapping())


@pytest.mark.parametrize(
    ("text", "restored"),
    [
        ("[[PERSON_1]]さん", "山田太郎さん"),
        ("[[PERSON_1]][[PHONE_NUMBER_1]]", "山田太郎090-1234-5678"),
        ("[[[PERSON_1]]]", "[山田太郎]"),
        ("[[PERSON_NAME_1]] [[PERSON_2]]", 'x Bob "B" \\ O'),
        # near-misses stay as they are
        ("[[PERSON_3]]", "[[PERSON_3]]"),
        ("[[PERSON_01]]", "[[PERSON_01]]"),
        ("[[person_1]]", "[[person_1]]"),
        ("[PERSON_1]", "[PERSON_1]"),
        ("[[PERSON_1]", "[[PERSON_1]"),
        ("[[ PERSON_1]]", "[[ PERSON_1]]"),
        ("", ""),
    ],
)
def test_restore(text: str, restored: str) -> None:
    assert _mapping().restore(text) == restored


def test_restore_json_string_content_keeps_json_valid() -> None:
    mapping = _mapping()
    raw = '{"to": "[[PERSON_2]]", "note": "[[PERSON_1]] \\"[[EMAIL_ADDRESS_1]]\\""}'
    assert json.loads(mapping.restore_json_string_content(raw)) == {
        "to": 'Bob "B" \\ O',
        "note": '山田太郎 "a@b.jp"',
    }
    # Plain restore would have broken it: the proof that escaping matters.
    with pytest.raises(ValueError):
        json.loads(mapping.restore(raw))


@pytest.mark.parametrize(
    ("deltas", "emitted"),
    [
        # held back only while the tail can still become an issued placeholder
        (["ab [", "[PER", "SON_1", "]", "] c"], ["ab ", "", "", "", "山田太郎 c"]),
        (["[[PERSON_3]] x"], ["[[PERSON_3]] x"]),
        (["[[PERSON_", "3]]"], ["", "[[PERSON_3]]"]),
        (["[[PERSON_1]", "x"], ["", "[[PERSON_1]x"]),
        (["[[PHONE"], [""]),
        (["[[PHO", "TO]]"], ["", "[[PHOTO]]"]),
        (["a]]", "[x"], ["a]]", "[x"]),
        (["[[[", "PERSON_2]]"], ["[", 'Bob "B" \\ O']),
    ],
)
def test_stream_restorer_emits_all_it_safely_can(deltas: list[str], emitted: list[str]) -> None:
    restorer = StreamRestorer(_mapping())
    assert [restorer.feed(d) for d in deltas] == emitted


def test_flush_releases_the_held_tail_once() -> None:
    restorer = StreamRestorer(_mapping())
    assert restorer.feed("x [[PERSON_") == "x "
    assert restorer.held == "[[PERSON_"
    assert restorer.flush() == "[[PERSON_"
    assert restorer.flush() == ""


def test_held_tail_is_shorter_than_the_longest_placeholder() -> None:
    mapping = _mapping()
    restorer = StreamRestorer(mapping)
    for ch in "[[EMAIL_ADDRESS_1xyz[[[[[[[[[[[[":
        restorer.feed(ch)
        assert len(restorer.held) < mapping.max_placeholder_len


def test_empty_map_holds_nothing() -> None:
    restorer = StreamRestorer(PlaceholderMap())
    assert restorer.feed("[[PERSON_") == "[[PERSON_"


def _splits(text: str, cuts: list[int]) -> list[str]:
    points = sorted({c % (len(text) + 1) for c in cuts})
    return [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]


TEXT_PARTS = st.lists(
    st.sampled_from(
        [
            "[[PERSON_1]]",
            "[[PERSON_2]]",
            "[[PHONE_NUMBER_1]]",
            "[[PERSON_9]]",
            "[",
            "]",
            "[[",
            "PERSON_1",
            "_",
            "1",
            "東",
            " ",
            "\\",
            '"',
        ]
    ),
    max_size=25,
).map("".join)


@given(
    text=TEXT_PARTS, cuts=st.lists(st.integers(min_value=0), max_size=12), json_escape=st.booleans()
)
def test_any_split_restores_like_the_whole_text(
    text: str, cuts: list[int], json_escape: bool
) -> None:
    mapping = _mapping()
    restorer = StreamRestorer(mapping, json_escape=json_escape)
    out = "".join(restorer.feed(part) for part in _splits(text, cuts)) + restorer.flush()
    whole = mapping.restore_json_string_content(text) if json_escape else mapping.restore(text)
    assert out == whole


@pytest.mark.parametrize("position", range(len("[[PERSON_2]]") + 1))
def test_json_escaped_stream_at_every_split(position: int) -> None:
    raw = json.dumps({"who": "[[PERSON_2]]"})
    cut = raw.index("[[") + position
    restorer = StreamRestorer(_mapping(), json_escape=True)
    out = restorer.feed(raw[:cut]) + restorer.feed(raw[cut:]) + restorer.flush()
    assert json.loads(out) == {"who": 'Bob "B" \\ O'}
