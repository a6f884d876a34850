"""Chinese, Korean and Vietnamese names written in Latin letters (Chen Wei, Min-jun Kim,
NGUYEN VAN NAM).

Staff paste them in hotel bookings, candidate lists and residence-card forms. English words
rarely pass both tests used here: one word is a common surname of the language, and every
other word is made only of that language's syllables (pinyin, Revised Romanisation of Korean,
Vietnamese without tone marks). The surname lists are the standard most-common surnames of
each language, the way the romaji rule uses the most common Japanese ones.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import regex as re

AddFn = Callable[[int, int, float], None]

_CHINESE_SURNAMES = frozenset(
    """
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng liang
xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei
su lu ding ren shen yao jin fu zhong cui tan fan liao shi jia xia qiu hou bai meng long wan
duan lei qian yin yi chang qin gu hao kong mao lai xue yan niu zou shao
""".split()
)
_KOREAN_SURNAMES = frozenset(
    """
kim lee yi park pak choi choe jung jeong chung kang cho jo yoon yun jang chang lim han seo suh
shin sin kwon hwang ahn song yoo yu ryu hong jeon chun moon mun yang son bae baek paek heo huh
nam noh roh kwak gwak sung seong cha woo
""".split()
)
_VIETNAMESE_SURNAMES = frozenset(
    """
nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh truong lam mai
trinh luong
""".split()
)
# Romaji: Japanese syllables only (ka, shi, tsu, kyo, n…), so English words rarely pass.
ROMAJI = re.compile(
    r"(?:(?:ky|gy|sh|ch|ny|hy|by|py|my|ry|ts|[kgsztdnhbpmyrwfj])?[aiueo]|n)+", re.IGNORECASE
)
_PINYIN = re.compile(
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu"
    r"|ua|uo|ui|er|a|o|e|i|u|v))+",
    re.IGNORECASE,
)
_KOREAN = re.compile(
    r"(?:(?:kk|tt|pp|ss|jj|ch|[gknrdlmbsjhtpyw])?"
    r"(?:yeo|yae|wae|eo|ae|ya|ye|oe|yo|wa|wo|we|wi|yu|eu|ui|a|e|o|u|i)"
    r"(?:ng|[nmlkpt])?)+",
    re.IGNORECASE,
)
_VIETNAMESE = re.compile(
    r"(?:ngh|ng|nh|ch|th|tr|ph|kh|gi|qu|gh|[bcdghklmnprstvx])?"
    r"(?:uye|uyu|uya|oai|oay|uoi|uou|ieu|yeu|uy|oa|oe|ua|uo|ue|ie|ye|ai|ao|au|ay|eo|eu|iu|oi|ui"
    r"|ou|a|e|i|o|u|y)"
    r"(?:nh|ng|ch|[cmnpt])?",
    re.IGNORECASE,
)
# Places written the same way (a gazetteer of the common ones, not of people).
_PLACES = frozenset(
    "hong kong,da nang,ho chi minh,hai phong,nha trang,can tho,ha noi,jeju do".split(",")
)
_SYLLABLES = {"zh": _PINYIN, "ko": _KOREAN, "vi": _VIETNAMESE}
_SURNAMES = {"zh": _CHINESE_SURNAMES, "ko": _KOREAN_SURNAMES, "vi": _VIETNAMESE_SURNAMES}

# Two to four words, capitalised (Chen Wei, Min-jun Kim) or in capitals (TRAN VAN NAM).
# Nguyễn Thị Lan, Lê Minh Tuấn: Vietnamese with its tone marks (folded before the syllable check).
# (Min-jun and Wei-Ling: the second part of a hyphenated given name in either case)
_WORD = r"(?:\p{Lu}\p{Ll}{1,9}(?:-\p{Lu}?\p{Ll}{1,6})?|[A-Z]{2,10}(?:-[A-Z]{2,6})?)"
_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9_.@/\p{Ll}-])(" + _WORD + r"(?:,? " + _WORD + r"){1,3})(?![A-Za-z0-9_@\p{Ll}-])"
)


def _fold(word: str) -> str:
    """Lê → le, Tuấn → tuan, Đỗ → do: the ASCII letters the syllable grammar knows."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFD", word.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _fits(word: str, lang: str) -> bool:
    pattern = _SYLLABLES[lang]
    return all(pattern.fullmatch(part) is not None for part in word.split("-"))


def _language_of(words: list[str]) -> str | None:
    """The language whose surname is one of the words and whose syllables make up all."""
    lowered = [_fold(w) for w in words]
    if " ".join(lowered) in _PLACES:
        return None
    for lang, surnames in _SURNAMES.items():
        for surname in (lowered[0], lowered[-1]):
            if surname in surnames and all(_fits(w, lang) for w in lowered if w is not surname):
                return lang
    return None


def _given_long_enough(words: list[str], lang: str) -> bool:
    """Two short words are too often English (Oh No, Do It, He Is): in a pair, the given
    name has three letters or a hyphen (Wang Hao, Min-jun Kim, Le Van Hai has three words)."""
    if len(words) > 2:
        return True
    if lang == "vi":
        return False  # Vietnamese names have three words (Nguyen Van Nam); Do Not has two
    first, last = (_fold(w) for w in words)
    given = last if first in _SURNAMES[lang] else first
    if first in _SURNAMES[lang] and last in _SURNAMES[lang]:
        given = max(first, last, key=len)
    return "-" in given or len(given) >= 3


def asian_names(text: str, add: AddFn) -> None:
    """Romanised Chinese, Korean and Vietnamese names."""
    if not any("A" <= c <= "Z" for c in text[:20_000]):
        return
    for m in _CANDIDATE.finditer(text):
        words = [w for w in re.split(r",? ", m.group(1)) if w]
        # Mixed shapes are English headings, except a surname in capitals (LI Wei).
        if len({w.isupper() for w in words}) > 1 and not words[0].isupper():
            continue
        lang = _language_of(words)
        if lang is None or not _given_long_enough(words, lang):
            continue
        add(m.start(1), m.end(1), 0.65)


# -- names in hangul -----------------------------------------------------------------------
# The common Korean surnames, as their one (or two) hangul syllables; 리 is 이 as written
# in the North and by many abroad.
_HANGUL_SURNAMES = frozenset(
    "김 이 리 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 심 노"
    " 하 곽 성 차 주 우 구 민 진 나 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 마 길 연 위 표"
    " 명 기 반 라 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 경 봉 사 부 가 복 태 목 형 피 두 감 음 빈"
    " 동 온 호 범 좌 팽 승 간 상 갈 단 견 당 화 창 남궁 황보 제갈 선우 독고 사공 서문".split()
)
# 김지은입니다, 박서연 씨, 조민서님; a speaker (조민서: …); the name in brackets after its
# romanisation or its kanji (Park Seo-yeon（박서연）, 李 利奈（리나）).
_HANGUL_NAME = re.compile(
    r"(?<![가-힣])(?P<n>[가-힣]{2,4})"
    r"(?=[ \t]?(?:입니다|이에요|예요|라고|씨|님|선생님)"
    r"|[ \t]*[:：（(]"
    r"|[）)])"
)


_BRACKET_END = re.compile(r"[）)\n]")
_ANY_HANGUL = re.compile(r"[가-힣]")


def hangul_names(text: str, add: AddFn) -> None:
    """Korean names in hangul: a surname syllable first, then one to three syllables,
    before a self-introduction or an honorific, as a speaker, or in brackets."""
    if _ANY_HANGUL.search(text) is None:
        return
    for m in _HANGUL_NAME.finditer(text):
        start, end = m.span("n")
        name = m.group("n")
        if (name[:2] in _HANGUL_SURNAMES and len(name) >= 3) or name[0] in _HANGUL_SURNAMES:
            follows = text[end : end + 1].strip() or text[end : end + 2].strip()
            if follows in ":：（(" and not (start == 0 or text[start - 1] in "\n\t （(「"):
                continue  # a speaker (or a name before its kanji) starts its line
            if follows in "（(":
                close = _BRACKET_END.search(text, end)
                if close is None or close.start() - end < 4:
                    continue  # 리나（李 利奈）, not 오늘（月）: a name in the brackets
            if follows in "）)" and (start == 0 or text[start - 1] not in "（("):
                continue  # the whole bracket is the name
            add(start, end, 0.65)
