"""Tie 要配慮個人情報 keywords to a person: a candidate counts only when its sentence
identifies someone — a PERSON finding, a name with an honorific, or a reference such as
社員の○○さん / 部下の / 顧客の / 本人 / 彼 / 彼女 / 私は.

"うつ病の社員への対応方法を教えて" names nobody and stays untouched; "営業部の田中さんが
うつ病で休職中" is raised.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex as re
from presidio_analyzer import RecognizerResult

TIED_SCORE = 0.85
_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?\n]+|$)")
# References that point at one particular person even without a detected name.
_PERSON_REFERENCE = re.compile(
    r"(?:[一-龥ァ-ヴーぁ-ゖ]{1,6}(?:さん|様|氏|君|くん|ちゃん|殿))"
    # (本人の同意, 本人確認, 本人以外 are the words of a policy, not a person)
    r"|(?:(?:本人|ご本人)(?!の同意|確認|以外)|彼女|彼(?![らの等]?ら)|私は|私が|私の|僕は|俺は|妻|夫|息子|娘|父|母|祖父|祖母)"
    r"|(?:(?:この|その|当該|例の|うちの|弊社の|当社の)(?:社員|従業員|部下|同僚|職員|患者|顧客|お客様|方|人|者))"
    r"|(?:(?:社員|従業員|部下|同僚|職員|患者|顧客|会員|応募者|候補者)(?:番号|ID|No\.?)\s?[:：]?\s?[A-Za-z0-9-]+)"
)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SENTENCE.finditer(text) if m.end() > m.start()]


def tie_to_person(
    text: str, candidates: Iterable[RecognizerResult], persons: Iterable[RecognizerResult]
) -> list[RecognizerResult]:
    """Candidates raised to TIED_SCORE when a person is identified in the same sentence;
    the others are returned unchanged (below the threshold)."""
    candidates = list(candidates)
    if not candidates:
        return []
    sentences = _sentence_spans(text)
    person_spans = [(p.start, p.end) for p in persons]
    out: list[RecognizerResult] = []
    for c in candidates:
        start, end = next(((s, e) for s, e in sentences if s <= c.start < e), (0, len(text)))
        tied = (
            any(start <= ps < end for ps, _ in person_spans)
            or _PERSON_REFERENCE.search(text, start, end) is not None
        )
        if tied:
            c.score = max(c.score, TIED_SCORE)
        out.append(c)
    return out
