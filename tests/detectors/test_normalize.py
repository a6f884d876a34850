"""Normalisation keeps a map back to the original: every span found in the normalised
text must cover exactly the characters it came from."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.normalize import normalize

CASES = [
    # original, expected normalised text
    ("０９０ー１２３４ー５６７８", "090-1234-5678"),
    ("〇九〇の一二三四の五六七八", "090-1234-5678"),
    ("090 1234 5678", "090 1234 5678"),
    ("0\u200b9\u200b0-1234-5678", "090-1234-5678"),
    ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"),
    ("㍼60年", "昭和60年"),
    ("taro＠example．com", "taro@example.com"),
    ("髙橋", "高橋"),
    ("MZー1648894", "MZ-1648894"),
    ("ラーメン 一人 三月", "ラーメン 一人 三月"),  # ー after kana and short numerals stay
    ("٤١١١", "4111"),
]


@pytest.mark.parametrize(("original", "expected"), CASES)
def test_normalised_text(original: str, expected: str) -> None:
    assert normalize(original).text == expected


@pytest.mark.parametrize(("original", "expected"), CASES)
def test_whole_span_maps_back_to_whole_original(original: str, expected: str) -> None:
    n = normalize(original)
    start, end = n.to_original(0, len(n.text))
    assert original[start:end].strip("\u200b") == original.strip("\u200b")


def test_inner_span_maps_to_original_digits() -> None:
    original = "携帯：０９０ー１２３４ー５６７８です"
    n = normalize(original)
    i = n.text.index("090")
    start, end = n.to_original(i, i + len("090-1234-5678"))
    assert original[start:end] == "０９０ー１２３４ー５６７８"


ALPHABET = st.sampled_from(
    list(
        "あいうアイウｶｷﾞﾟ漢字０１２３4567８９ー－‐—\u200b\u200d\ufeff㍻㈱①"
        "@＠abcＡＢ 　、。（）\u3099\u309a"
    )
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, min_size=0, max_size=40).map("".join))
def test_offsets_are_monotonic_and_in_range(text: str) -> None:
    n = normalize(text)
    if n.starts is None:
        assert len(n.text) == len(text)
        return
    assert len(n.starts) == len(n.text) == len(n.ends)
    previous = 0
    for s, e in zip(n.starts, n.ends):
        assert 0 <= s < e <= len(text)
        assert s >= previous
        previous = s


# Without digits and dashes, normalisation is NFKC minus invisible characters, so a
# mapped-back slice must normalise to exactly the slice it came from (or a superset when
# the span starts or ends inside a cluster NFKC expanded, such as ㍻ -> 平成).
NO_DIGITS = st.sampled_from(
    list("あいうアイウｶｷﾞﾟ漢字@＠abcＡＢ 　、。（）㍻㈱\u200b\u200d\ufeff\u3099")
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(NO_DIGITS, min_size=1, max_size=40).map("".join),
    st.integers(min_value=0, max_value=39),
    st.integers(min_value=1, max_value=40),
)
def test_any_span_maps_to_the_characters_it_came_from(text: str, a: int, width: int) -> None:
    n = normalize(text)
    if not n.text:
        return
    a = min(a, len(n.text) - 1)
    b = min(len(n.text), a + width)
    start, end = n.to_original(a, b)
    again = normalize(text[start:end]).text
    assert n.text[a:b] in again
