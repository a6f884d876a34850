"""要配慮個人情報 counts only when the sentence identifies a person."""

from __future__ import annotations

import pytest

from detectors.engine import Scanner
from detectors.settings import DetectionSettings

ENTITY = "SENSITIVE_PERSONAL_INFO"


@pytest.mark.parametrize(
    ("text", "tied"),
    [
        ("営業部の田中さんがうつ病で休職中です", True),
        ("従業員の髙橋が飲酒運転で書類送検された", True),
        ("この社員は障害者手帳を持っています", True),
        ("佐藤健一は前科がある", True),
        ("山田さんの件とは別に。うつ病の一般的な症状を教えて", False),  # other sentence
        ("うつ病の社員への対応方法を教えて", False),
        ("健康診断の受診率を上げる施策", False),
        ("宗教団体の歴史をまとめて", False),
        ("佐藤さんはHIV陽性です", True),
        ("田中さんのBMIは31です", True),
        # Latin keywords inside English words (Claude Code's system prompt: "change the submit key").
        ("山田さんがsubmitボタンを押した", False),
        ("鈴木さんはLGBTQ当事者です", True),
        ("The user asked to archive the old logs", False),
    ],
)
def test_tied_to_a_person(scanner: Scanner, text: str, tied: bool) -> None:
    found = [f for f in scanner.scan(text, DetectionSettings()) if f.entity_type == ENTITY]
    assert bool(found) is tied
