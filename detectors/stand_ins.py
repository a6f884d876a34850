"""Values that stand in for data in templates, documentation and fixtures.

A form template writes 東京都○○区△△町1-2-3 and 〒000-0000, API documentation writes
sample@example.com and hooks.slack.com/services/XXXXXXXX/YYYYYYYY/…: nobody's data, and
masking them only garbles the prompt. Each check is narrow, so a real value that merely
contains one of these marks stays a finding:

- place marks (○○, △△) standing for the prefecture, city or town of an address (a real
  address with its building blanked out, 萩之茶屋2丁目3番12号 ○○荘, is still an address);
  a "name" made of marks only, or with テスト / サンプル / ダミー / 見本 for its surname;
- an address or postal code whose digits are all zeros; a date with a mark for its number
  (平成〇年〇月〇日);
- an e-mail address on a domain reserved for documentation (RFC 2606: example.com,
  example.jp…, no subdomain) with a generic mailbox (sample, user01, info, noreply, test);
- a secret whose letters are mostly XXXX / **** runs (a real key with such a run is not).
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult

_MARKS = "○◯●△▲□■×✕"
# (〇, the kanji zero, too: no place is called 〇〇市, though ゆうちょ writes 〇一八 for 018)
_PLACE_MARKS = re.compile(f"[〇{_MARKS}]{{2,}}(?=[都道府県市区町村郡])")
# 平成〇年〇月〇日, 1992年○月○日: a mark where a number goes (no year, month or day is 〇)
_DATE_MARKS = re.compile(f"(?<![〇一二三四五六七八九十百0-9])[〇{_MARKS}]+[年月日]")
_ONLY_MARKS = re.compile(f"[{_MARKS}\\s・]+")
# テスト 太郎, サンプル花子, 見本 太郎: a stand-in word where the surname goes
_STAND_IN_SURNAME = re.compile(r"(?:テスト|サンプル|ダミー|見本)[ \u3000]?\S")
_DOCUMENTATION_MAIL = re.compile(
    r"(?:sample|example|test|user|info|noreply|no-reply|admin|foo|bar|hoge|fuga|dummy|xxx+"
    r"|your[-_.]?name|name|mail|email|someone|contact|support)[-_.]?[0-9]*"
    r"@example\.(?:com|net|org|jp|co\.jp|ne\.jp|or\.jp)",
    re.IGNORECASE,
)
_FILLER_RUN = re.compile(r"([XxYyZz*])\1{5,}")


def is_stand_in(entity: str, value: str) -> bool:
    """Whether ``value``, found as ``entity``, is a template's or a document's stand-in."""
    if entity == "ADDRESS" or entity == "JP_POSTAL_CODE":
        digits = [c for c in value if c.isdigit()]
        if len(digits) >= 4 and set(digits) == {"0"}:
            return True
        return entity == "ADDRESS" and _PLACE_MARKS.search(value) is not None
    if entity == "DATE_OF_BIRTH":
        return _DATE_MARKS.search(value) is not None
    if entity == "PERSON":
        return (
            _ONLY_MARKS.fullmatch(value) is not None or _STAND_IN_SURNAME.match(value) is not None
        )
    if entity == "EMAIL_ADDRESS":
        return _DOCUMENTATION_MAIL.fullmatch(value) is not None
    if entity == "SECRET":
        runs = [m.end() - m.start() for m in _FILLER_RUN.finditer(value)]
        return len(runs) >= 2 or (bool(runs) and runs[0] >= 0.4 * len(value))
    return False


def drop_stand_ins(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    return [r for r in results if not is_stand_in(r.entity_type, text[r.start : r.end])]
