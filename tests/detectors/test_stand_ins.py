"""Stand-ins of templates and documentation are dropped; real values that merely carry one
of their marks are not (detectors.stand_ins), checked alone and through the scanner."""

from __future__ import annotations

import pytest

from detectors.engine import Scanner
from detectors.settings import DetectionSettings
from detectors.stand_ins import is_stand_in


@pytest.mark.parametrize(
    ("entity", "value"),
    [
        ("ADDRESS", "東京都○○区△△町1-2-3"),
        ("ADDRESS", "〒000-0000 ○○県○○市○○町1-2-3"),
        ("ADDRESS", "〇〇県〇〇市〇〇町1丁目2番3号"),
        ("DATE_OF_BIRTH", "平成〇年〇月〇日"),
        ("DATE_OF_BIRTH", "1992年○月○日"),
        ("JP_POSTAL_CODE", "000-0000"),
        ("PERSON", "○○ ○○"),
        ("PERSON", "テスト 太郎"),
        ("PERSON", "見本 花子"),
        ("EMAIL_ADDRESS", "sample@example.com"),
        ("EMAIL_ADDRESS", "user01@example.com"),
        ("EMAIL_ADDRESS", "noreply@example.co.jp"),
        ("SECRET", "https://hooks.slack.com/services/XXXXXXXX/YYYYYYYY/ZZZZZZZZZZZZ"),
        ("SECRET", "sk-xxxxxxxxxxxx"),
    ],
)
def test_stand_ins(entity: str, value: str) -> None:
    assert is_stand_in(entity, value)


@pytest.mark.parametrize(
    ("entity", "value"),
    [
        ("ADDRESS", "大阪市西成区萩之茶屋2丁目3番12号 ○○荘 2号室"),  # a building blanked out
        ("ADDRESS", "東京都千代田区千代田1-1"),
        ("JP_POSTAL_CODE", "100-0001"),
        ("DATE_OF_BIRTH", "平成十年十月一日"),
        ("DATE_OF_BIRTH", "二〇〇一年三月三日"),
        ("PERSON", "手塚 太郎"),
        ("EMAIL_ADDRESS", "kosuke.wada@example.com"),  # a person's mailbox
        ("EMAIL_ADDRESS", "noreply@keihi.example.jp"),  # a subdomain: some company's
        ("EMAIL_ADDRESS", "info@example-shop.co.jp"),
        ("SECRET", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"),
        ("SECRET", "sk-proj-8fJ2kLqP0zR7vT3wX9yN1cB6dF0gH5jK2sA8qXXXXXXXX"),
    ],
)
def test_real_values_stay(entity: str, value: str) -> None:
    assert not is_stand_in(entity, value)


def test_template_rows_unchanged_real_row_masked(scanner: Scanner) -> None:
    text = (
        "氏名\t電話\tメール\t住所\n"
        "○○ ○○\t090-XXXX-XXXX\tuser01@example.com\t東京都○○区△△町1-2-3\n"
        "手塚 良一\t090-6624-1937\tr.tezuka@example.com\t埼玉県越谷市南越谷1丁目11-4\n"
    )
    found = {text[f.start : f.end] for f in scanner.scan(text, DetectionSettings())}
    assert found >= {"手塚 良一", "090-6624-1937", "r.tezuka@example.com"}
    assert not found & {"○○ ○○", "user01@example.com", "東京都○○区△△町1-2-3"}
