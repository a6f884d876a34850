"""Unicode tag characters (U+E0020-E007E) are hidden ASCII that models read: they are
decoded and scanned, not dropped (issue 15, item 9). Before the fix normalisation dropped
them as invisible, so a My Number spelled in tags reached the upstream unseen."""

from __future__ import annotations

import pytest

from detectors.engine import Scanner
from detectors.normalize import normalize
from detectors.settings import DetectionSettings


def tags(text: str) -> str:
    return "".join(chr(0xE0000 + ord(c)) for c in text)


def test_tags_decode_to_the_ascii_they_spell() -> None:
    text = "番号" + tags("615237485127") + "です"
    n = normalize(text)
    assert n.text == "番号615237485127です"
    assert n.to_original(2, 14) == (2, 14)  # one code point for one: offsets hold


@pytest.mark.parametrize(
    ("hidden", "entity"),
    [
        ("615237485127", "JP_MY_NUMBER"),
        ("4111111111111111", "CREDIT_CARD"),
        ("AKIAIOSFODNN7EXAMPLE", "SECRET"),
    ],
)
def test_a_value_hidden_in_tags_is_found(scanner: Scanner, hidden: str, entity: str) -> None:
    context = {"JP_MY_NUMBER": "マイナンバーは", "CREDIT_CARD": "カード番号 ", "SECRET": "aws key "}
    text = context[entity] + tags(hidden) + " です"
    found = [f for f in scanner.scan(text, DetectionSettings()) if f.entity_type == entity]
    assert found and text[found[0].start : found[0].end] == tags(hidden)


def test_a_tagged_flag_emoji_stays_harmless(scanner: Scanner) -> None:
    flag = "\U0001f3f4" + tags("gbsct") + "\U000e007f"  # Scotland's flag
    assert scanner.scan(f"会議は{flag}エディンバラで", DetectionSettings()) == []
