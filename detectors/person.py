"""PERSON: GiNZA's NER, Sudachi's 人名 tags, and the context Japanese puts around names.

Evidence and the score it gives (a finding is reported from 0.5 by default):
- GiNZA ``Person`` span: 0.85.
- Sudachi surname + given name in a row (佐藤 健一): 0.75; a lone surname of two or more
  characters 0.55, a one-character one 0.4 and a lone given name 0.3 — too common alone
  (林 is a wood, 誠 a word); GiNZA settles those.
- Honorific or title right after (様, さん, 氏, 部長…), or a label right before
  (氏名：, 担当：, 名義…): +0.35, and it turns an unknown word (a rare name Sudachi does
  not know, a katakana name) into a candidate too.
- Romaji names (Taro Yamada) only with such context.

Spans found inside an e-mail address or a URL are not names (GiNZA labels many e-mail
addresses Person); the engine drops PERSON overlapping a structured finding.
"""

from __future__ import annotations

import itertools
import re as stdlib_re
from collections.abc import Callable
from functools import lru_cache

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from detectors import katakana_context, name_layout, romanized, tables
from detectors.nlp import KANJI_RUN, JaNlpArtifacts, Token

ENTITY = "PERSON"

HONORIFICS = (
    "様",
    "さま",
    "さん",
    "氏",
    "殿",
    "君",
    "くん",
    "ちゃん",
    "先生",
    "先輩",
    "部長",
    "課長",
    "係長",
    "社長",
    "会長",
    "専務",
    "常務",
    "取締役",
    "主任",
    "室長",
    "支店長",
    "所長",
    "店長",
    "教授",
    "准教授",
    "弁護士",
    "税理士",
    "医師",
    "看護師",
    "選手",
    "監督",
    "議員",
    "首相",
    "大臣",
    "知事",
    "市長",
    "容疑者",
    "被告",
    "被告人",
    "さんへ",
    "騎手",
    "校長",
    "院長",
    "理事長",
    "委員長",
    "議長",
    "総裁",
    "総理",
    "大統領",
    "投手",
    "捕手",
    "内野手",
    "外野手",
    "記者",
    "博士",
    "講師",
    "コーチ",
    "代表取締役",
    "棋士",
    "氏ら",
    "さんら",
    "容疑者ら",
    # heads of a unit and professions that follow a surname like 部長 does
    "館長",
    "園長",
    "署長",
    "局長",
    "次長",
    "学長",
    "塾長",
    "副社長",
    "副部長",
    "本部長",
    "副校長",
    "教頭",
    "顧問",
    "司法書士",
    "行政書士",
    "会計士",
    "薬剤師",
    "保育士",
    "技師",
)
# The honorific follows on the same line (a space at most); 氏名 is a label, not 氏.
_HONORIFIC_AFTER = re.compile(
    r"[ \u3000]?(?:" + "|".join(sorted(HONORIFICS, key=len, reverse=True)) + ")(?!名|権)"
)
LABELS = (
    "氏名",
    # the label's reading, as legacy systems print it in half-width kana (ｼﾒｲ:)
    "シメイ",
    "カナシメイ",
    "お名前",
    "名前",
    "担当者",
    "担当",
    "宛名",
    "宛先",
    "名義",
    "口座名義",
    "差出人",
    "申請者",
    "契約者",
    "受取人",
    "署名",
    "患者名",
    "社員名",
    "従業員名",
    "ご依頼主",
    "送り主",
    "届け先",
    "From",
    "Name",
    "Attn",
    "フリガナ",
    "ふりがな",
    "よみがな",
    "カナ氏名",
    "氏名カナ",
    "被保険者",
    "申込者",
    "Attendees",
    "Dear",
    "To",
    "出席者",
    "参加者",
    "作成者",
    "承認者",
    "依頼者",
    "応募者",
    "候補者",
    "面接者",
    "入居者",
    "購入者",
    "保護者",
    "記入者",
    "報告者",
    "対象者",
    "相手方",
    "連絡者",
    # the people of a role, as a field of a form or a memo (メンター：オオタケ, 上長：…)
    *(
        ROLE_LABELS := (
            "メンター",
            "メンティー",
            "上長",
            "責任者",
            "面接官",
            "担任",
            "主治医",
            "担当医",
        )
    ),
)
# People named by their place at work, before の or a space: 社長の大和田, 部下の三好,
# 総務 若林 (with a colon they are speakers: 総務：サーバー室は…).
_WORK_ROLES = "社長 部長 課長 係長 店長 上司 上長 部下 同僚 先輩 後輩 総務 経理 人事".split()
# Japanese labels may be glued to the name (担当の石川, 氏名　森); English ones (To, From,
# Name, Attn) only count as a field with a colon ("Shipping to North America" is no label).
_JA_LABELS = [w for w in LABELS if not w.isascii()]
_EN_LABELS = [w for w in LABELS if w.isascii() and w != "Dear"]
_LABEL_BEFORE = re.compile(
    r"(?:(?:" + "|".join(sorted(_JA_LABELS, key=len, reverse=True)) + r")\s?(?:[:：=]|は|の)?"
    r"|(?:" + "|".join(_WORK_ROLES) + r")(?:の|[ \u3000])"
    r"|(?<![A-Za-z])(?i:" + "|".join(sorted(_EN_LABELS, key=len, reverse=True)) + r")\s?[:：]"
    r"|(?<![A-Za-z])Dear)\s?$"
)


def _one_word(by_start: dict[int, Token], start: int, end: int) -> bool:
    """The span is one common noun of the dictionary, or the head of one (マイナンバー,
    アクセス権), not a name."""
    tok = by_start.get(start)
    return (
        tok is not None
        and tok.end >= end
        and tok.is_common_noun
        and not (tok.is_person_name or tok.is_oov or tok.is_joined_katakana)
    )


_ROLE_LABEL_BEFORE = re.compile("(?:" + "|".join(ROLE_LABELS) + r")\s?[:：]?\s?$")
# Nouns that take 様/さん but are not names: お客様, 皆様, 神様…
NOT_NAMES = frozenset(
    {
        # the parties of a contract: 甲（開示者）、乙（受領者）
        "甲",
        "乙",
        "丙",
        "丁",
        "お客",
        "客",
        "皆",
        "皆々",
        "各位",
        "神",
        "仏",
        "王",
        "奥",
        "お子",
        "子供",
        "お母",
        "お父",
        "母",
        "父",
        "兄",
        "姉",
        "弟",
        "妹",
        "ご家族",
        "家族",
        "先方",
        "相手",
        "担当者",
        "担当",
        "責任者",
        "利用者",
        "ユーザー",
        "みな",
        "みんな",
        "どなた",
        "誰",
        "あなた",
        "お前",
        "貴方",
        "管理者",
        "会員",
        "患者",
        "お医者",
        "医者",
        "運転手",
        "店員",
        "社員",
        "部下",
        "上司",
        "同僚",
        "本人",
        "ご本人",
        "当方",
        "貴社",
        "御社",
        "弊社",
        "当社",
        "各社",
        "他社",
        "お互い",
        "皆さま",
        "ご担当",
        "ご担当者",
        "様",
        "さん",
        "お疲れ",
        "ご苦労",
        "お世話",
        "おかげ",
        "ご馳走",
        "お陰",
        "ごちそう",
        "お待ち",
        "お大事",
        "お互",
        "取引先",
        "得意",
        "お得意",
        "仕入先",
        "代理店",
        "販売店",
        "加盟店",
        "協力会社",
        "営業",
        "派遣",
        "事務",
        "経理",
        "総務",
        "人事",
        "八百屋",
        "大家",
        "家主",
        "役員",
        "先生",
        "講師",
        "新人",
        "後輩",
        "先輩",
        "皆さん",
        "親御",
        "業者",
        "施主",
        "お施主",
        "委員",
        "幹事",
        "主催者",
        "参加者",
        "応募者",
        "候補者",
        "面接官",
        "受付",
        "窓口",
        "御中",
    }
)
# Honorifics that follow a personal name but not a job title (営業部長 is not a name).
_PERSONAL_HONORIFIC = re.compile(r"[ \u3000]?(?:様|さま|さん|氏(?!名)|殿|くん|ちゃん|君)")
_KANJI_SURNAME_LIKE = re.compile(r"[一-龥々ヶ]{1,3}")
# (a one-syllable Korean surname before ・: ハ・ミンジュン, オ・ジヌ)
_KATAKANA_NAME = re.compile(
    r"[ァ-ヴ][ァ-ヴー]{1,}(?:[・ ][ァ-ヴ][ァ-ヴー]{1,})?|[ァ-ヴ]・[ァ-ヴ][ァ-ヴー]{1,}"
)
_KANJI_OR_KANA = re.compile(r"[一-龥々〆ヵヶぁ-んァ-ヴー]+")
_INITIALS_NAME = re.compile(r"(?<![A-Za-z.])(?:[A-Z]\.){1,3}[ァ-ヴ][ァ-ヴー]+")
# A reading in brackets right after a name: 木村拓也（きむら・たくや）, 朱川湊人（しゅかわ・みなと、42）.
# …or the same name in another script: 朴 智恩 (Ji-eun Park), Dong-hyun Park (朴 東炫),
# ｻﾝﾄｽ ﾙｶｽ（SANTOS LUCAS）; a note may follow the reading (たなはし ふみこ、大正14年生).
_READING_AFTER = re.compile(
    r"\s?[（(]([ぁ-ゖァ-ヴー・=\s]{2,30}"
    r"|\p{Lu}[\p{Lu}\p{Ll}'’\-]+(?: \p{Lu}[\p{Lu}\p{Ll}'’\-]+){1,3}"
    r"|[一-龥々〆ヶ]{1,4}[ \u3000][一-龥々〆ヶ]{1,4}"
    # ZHANG YUTING（张雨婷）: a Latin name's characters (the caller checks the name is Latin)
    r"|(?P<cjk>[一-龥々\U00020000-\U0003134F]{2,4})"
    # ナン（Nan）: a katakana name's spelling, one word (the caller checks it is katakana)
    r"|(?P<latin>\p{Lu}\p{Ll}{1,14}))"
    r"(?:[、,][^）)\n]{0,30})?[）)]"
)
ROMAJI_SURNAMES = frozenset(
    """
sato suzuki takahashi tanaka ito watanabe yamamoto nakamura kobayashi kato yoshida yamada
sasaki yamaguchi matsumoto inoue kimura hayashi saito shimizu yamazaki mori abe ikeda
hashimoto yamashita ishikawa nakajima maeda fujita ogawa goto okada hasegawa murakami kondo
ishii sakamoto endo aoki fujii nishimura fukuda ota miura fujiwara okamoto matsuda nakagawa
nakano harada ono tamura takeuchi kaneko wada nakayama ishida ueda morita hara shibata sakai
kudo yokoyama miyazaki miyamoto uchida takagi ando taniguchi ohno maruyama imai takada fujimoto
takeda murata ueno sugiyama masuda sugawara hirano otsuka kojima chiba kubo matsui iwasaki
sakurai kinoshita noguchi matsuo nomura kikuchi sano onishi sugimoto arai hamada ichikawa
furukawa mizuno komatsu shimada furuta koyama takano yamauchi nishida kikuchi kawaguchi
kawasaki tsuchiya hoshino
""".split()
)
_ROMAJI_PAIR = re.compile(r"(?<![A-Za-z])([A-Z][A-Za-z]{1,14}) ([A-Z][A-Za-z]{1,14})(?![A-Za-z])")
# Place and organisation suffixes: 梅田支店, 山田町 and 堀川通 are not people.
# Words that end a company name (山田商事, ヤマト運輸): after a candidate, or ending one token.
COMPANY_WORDS = (
    "運輸 急便 物流 商事 商店 産業 物産 工業 建設 電機 電気 製作所 銀行 証券 保険 食品 製薬 "
    "化学 精工 重工 興業 不動産 通商 自動車 ホールディングス"
).split()
_PLACE_AFTER = re.compile(
    r"(?:支店|支社|本店|本社|営業所|出張所|駅|町|村|区|市|県|郡|通り?|店|屋|ビル"
    r"|工場|事務所|病院|医院|大学|高校|小学校|中学校|公園|橋|川|山|丁目|番地|字|株式会社|"
    # a temple, a theatre, a castle, a shrine (西念寺, 村国座, 大野湊神社; 榎本派 keeps the
    # person it is named after)
    r"寺|院(?!長)|座|城|館(?!長)|神社|大社|学園|学院|農園|古墳|港|線|"
    + "|".join(COMPANY_WORDS)
    + ")"
)
# Account holders in transfer records: ヤマダ タロウ, after the フリコミ marker if any.
# Without the prefix, a pair starts only at the head of a katakana run (retrying every
# start of a long run was quadratic: 20 s for 40,000 katakana).
# (plain character classes: the standard library scans them about twice as fast)
_KANA_PAIR = stdlib_re.compile(
    r"(?:(?:フリコミ|カ\))[ \u3000]?|(?<![ァ-ヴー]))([ァ-ヴ][ァ-ヴー]+[ \u3000][ァ-ヴ][ァ-ヴー]+)"
)
_ACCOUNT_HOLDER_CONTEXT = re.compile(
    r"(?:普通|当座|貯蓄|口座|名義|振込|フリコミ|ﾌﾘｺﾐ|カナ|フリガナ)[^。\n]{0,24}$"
)
# ゆいちゃん, もりした れん くん: a child's name in hiragana before ちゃん/くん
_HIRAGANA_CHILD = re.compile(
    r"[ぁ-ゖ]{2,5}(?=ちゃん|くん)|(?<![ぁ-ゖ])[ぁ-ゖ]{2,5}[ \u3000][ぁ-ゖ]{1,4}(?=[ \u3000]?(?:ちゃん|くん))"
)
_GIVEN_AFTER = re.compile(
    r"[ \u3000]([一-龥々]{1,3}|[ぁ-ゖ]{2,4}|[ァ-ヴ][ァ-ヴー]{1,5})"
    r"(?=$|[\s、。,.・／/（()）」』:：;；]|様|さん|氏|君|くん|ちゃん|殿|(?P<particle>[はがのもとにを]))"
)
_ROMAJI_NAME = re.compile(
    # (a hyphenated surname as one word: Mohammed Al-Farsi, Jean-Luc Picard)
    r"(?<![A-Za-z\p{Ll}])\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?(?: [A-Z]\.)? \p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?"
    r"(?![A-Za-z\p{Ll}])"
    r"|(?<![A-Za-z])[A-Z]{2,} [A-Z]{2,}(?![A-Za-z])"
)
_MAX_NAME_CHARS = 12
_HONORIFIC_SUFFIX = re.compile(r"\s?(?:" + "|".join(HONORIFICS) + r")$")
_LABEL_ANYWHERE = re.compile("(?:" + "|".join(sorted(LABELS, key=len, reverse=True)) + ")")
# Foreign and kana names are written as chains joined by ・ or =, with initials
# (アンゲラ・メルケル, ジョン・G・ロバーツ・ジュニア, J.K.ローリング, まぶち・けんいち). GiNZA
# often tags one link of the chain; the whole chain is the name.
# The lookbehinds start a chain only at the head of a kana run: retrying every start inside
# a long run without a separator was quadratic (12 s for 20,000 hiragana).
_NAME_CHAIN = stdlib_re.compile(  # (plain classes: the standard library, as _KANA_PAIR)
    r"(?:[A-Z]\.){0,3}(?<![ァ-ヴー])[ァ-ヴ][ァ-ヴー]*(?:[・=](?:[A-Z]\.?[・=])?[ァ-ヴ][ァ-ヴー]*)+"
    r"|(?:[A-Z]\.){1,3}[ァ-ヴ][ァ-ヴー]+"
    r"|(?<![ぁ-ゖ])[ぁ-ゖ]+(?:[・ \u3000][ぁ-ゖ]+)+"
)

AddFn = Callable[[int, int, float], None]


@lru_cache(maxsize=4)
def _name_chains(text: str) -> tuple[tuple[int, int], ...]:
    """The spans of _NAME_CHAIN in ``text``: the rules and the recognizer both read them,
    once per scan."""
    return tuple(m.span() for m in _NAME_CHAIN.finditer(text))


_SEPARATOR = re.compile(r"[\s:：=,、，\t|/（(「『【はの]")


# Cheap first checks for the two context regexes, which run for most tokens: the
# character after a name must start an honorific (or be a space), the character before
# it must end a label, a separator or a space.
_HONORIFIC_FIRST = frozenset(h[0] for h in HONORIFICS) | {" ", "\u3000"}
_LABEL_LAST = frozenset(
    {c for label in LABELS for c in (label[-1].lower(), label[-1].upper())} | set(":：=はの")
)


def _has_honorific_after(text: str, end: int) -> bool:
    return (
        end < len(text)
        and text[end] in _HONORIFIC_FIRST
        and _HONORIFIC_AFTER.match(text, end) is not None
    )


def _has_label_before(text: str, start: int) -> bool:
    if start == 0:
        return False
    before = text[start - 1]
    if before not in _LABEL_LAST and not before.isspace():
        return False
    return _LABEL_BEFORE.search(text[max(0, start - 12) : start]) is not None


def _surname_place_before_given(text: str, tokens: list[Token], i: int) -> bool:
    """宇都宮 浩, 春日 真司: a place the dictionary also lists as a surname, then (after at
    most one space) a given name."""
    tok = tokens[i]
    if not tok.place_or_surname:
        return False
    k = i + 1
    if k < len(tokens) and text[tokens[k].start : tokens[k].end] in (" ", "\u3000"):
        k += 1
    return k < len(tokens) and tokens[k].is_person_name and tokens[k].pos[3:4] == ("名",)


# One-kanji suffixes that follow a name without being part of it (山田 太郎様, 佐藤家), and
# the ends of place names (閔行区, 本郷町).
_NOT_GIVEN_TAIL = frozenset("様氏殿君宛家邸方側達等派組班長区市町村郡県都府駅線港寺社店屋橋")
# What may follow a given name (the end of a full name).
_GIVEN_END = frozenset("\n\t |,，、;；（()）」』:：/") | frozenset("\u3000")


def _through_glued_kanji(text: str, tokens: list[Token], k: int, end: int) -> int:
    """門脇 優|斗, 笹目 陽|向: Sudachi cut a given name after its first kanji. Past at most two
    one-kanji tokens glued to it, when a particle, punctuation or a space follows."""
    new_end, n = end, 0
    while k < len(tokens) and n < 2:
        tok = tokens[k]
        if (
            tok.start != new_end
            or tok.end - tok.start != 1
            or not _KANJI_1_3.match(text, tok.start)
            or text[tok.start] in _NOT_GIVEN_TAIL
        ):
            break
        new_end, n, k = tok.end, n + 1, k + 1
    if new_end == end:
        return end
    after = text[new_end : new_end + 1]
    following = tokens[k] if k < len(tokens) else None
    if (
        after == ""
        or after in _GIVEN_END
        or (following is not None and following.start == new_end and following.pos[:1] == ("助詞",))
    ):
        return new_end
    return end


def _from_tokens(text: str, tokens: list[Token], add: AddFn) -> None:
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if not tok.is_person_name and not _surname_place_before_given(text, tokens, i):
            i += 1
            continue
        j = i + 1
        while j < n and (
            tokens[j].is_person_name
            or (
                text[tokens[j].start : tokens[j].end] in (" ", "\u3000")  # not a line break
                and j + 1 < n
                and tokens[j + 1].is_person_name
                and tokens[j].end - tokens[j].start == 1
            )
        ):
            j += 1
        run = tokens[i:j]
        # 敏行 殿: Sudachi lists 殿 as a name too; an honorific ends the name.
        while len(run) > 1 and (
            text[run[-1].start : run[-1].end] in HONORIFICS
            or text[run[-1].start : run[-1].end].isspace()
        ):
            run.pop()
        names = [t for t in run if t.is_person_name]
        start, end = run[0].start, run[-1].end
        if len(run) > 1 and run[-1].pos[3:4] == ("名",):
            end = _through_glued_kanji(text, tokens, i + len(run), end)  # 門脇 優|斗
        kinds = {t.pos[3] if len(t.pos) > 3 else "" for t in names}
        if len(names) >= 2 and "姓" in kinds and "名" in kinds:
            score = 0.75
        elif (
            text[start:end] in name_layout.LATIN_ORGANISATION_WORDS
            or text[start:end] in name_layout.LATIN_CALENDAR_WORDS
        ):
            score = 0.0  # Bank (MUFG Bank): an English word Sudachi also knows as a name
        elif (
            len(run) == 1
            and "一般" in kinds
            and end - start >= 3
            and KANJI_RUN.fullmatch(text, start, end)
            and not _PERSONAL_HONORIFIC.match(text, end)
            and not _has_label_before(text, start)
        ):
            # 織田信長, 野口英世, 渋沢栄一: a full name the dictionary holds as one word is
            # a figure of history or public life (a private 山田太郎 is two words, 姓+名);
            # a personal honorific or a name label still makes it someone's name.
            score = 0.0
        elif "一般" in kinds and (not text[start:end].isascii() or text[start:end].istitle()):
            # Latin words Sudachi knows as names (Sarah, Johnson) count when capitalised;
            # page, bank and will are words.
            score = 0.6
        elif "姓" in kinds:
            # 鈴木, 佐々木: a multi-character surname standing alone is almost always one; a
            # one-character one (林, 森, 関, 東) is often a word, so GiNZA decides.
            score = 0.55 if end - start >= 2 else 0.4
        else:
            score = 0.3
        if _has_honorific_after(text, end) or _has_label_before(text, start):
            score = min(1.0, score + 0.35)
        add(start, end, score)
        i = j

    # After a person label (担当の石川, 氏名：森), a proper noun is a name even when Sudachi
    # reads it as a place (石川 is also a prefecture).
    for tok in tokens:
        if (
            (tok.is_proper_noun or tok.place_or_surname)
            and not tok.is_person_name
            and _has_label_before(text, tok.start)
        ):
            word = text[tok.start : tok.end]
            if _KANJI_OR_KANA.fullmatch(word) and len(word) <= 4 and word not in NOT_NAMES:
                add(tok.start, tok.end, 0.7)

    # Unknown words and proper nouns right before an honorific: rare names, katakana names.
    for k, tok in enumerate(tokens):
        if tok.is_person_name or not _has_honorific_after(text, tok.end):
            continue
        word = text[tok.start : tok.end]
        if word in NOT_NAMES or not _KANJI_OR_KANA.fullmatch(word):
            continue
        if len(word) > _MAX_NAME_CHARS:
            continue
        score = 0.7
        if (
            len(tok.pos) > 2
            and tok.pos[2] == "地名"
            and not tok.place_or_surname
            and not _PERSONAL_HONORIFIC.match(text, tok.end)
        ):
            continue  # 大阪所長: the head of a place's office; 松本部長 may be a person
        if tok.is_common_noun and not tok.is_proper_noun:
            # Surnames that are also words (平野, 森, 小川): only kanji, short, and a
            # personal honorific right after; 0.6 keeps them just over the threshold.
            if not (
                _KANJI_SURNAME_LIKE.fullmatch(word) and _PERSONAL_HONORIFIC.match(text, tok.end)
            ):
                continue
            score = 0.6
        if tok.pos and tok.pos[0] not in ("名詞", "接頭辞") and not tok.pos[0].startswith("未知"):
            continue
        start = tok.start
        # Include a preceding name token (田中 + ゆうこ) or a first half of a katakana name.
        if k > 0 and tokens[k - 1].is_person_name:
            start = tokens[k - 1].start
        elif (
            k > 0
            and tokens[k - 1].end == tok.start
            and (tokens[k - 1].is_proper_noun or tokens[k - 1].place_or_surname)
            and _KANJI_SURNAME_LIKE.fullmatch(text, tokens[k - 1].start, tok.end)
        ):
            start = tokens[k - 1].start  # 瀬戸|口様: the place-word is the surname's first half
        add(start, tok.end, score)

    _surname_then_given(text, tokens, add)


# What may follow a full name in running prose: a particle, punctuation, a bracket, the
# end of a line (鈴木啓示の, 片山英木。).
_AFTER_FULL_NAME = re.compile(r"(?:[はがのもとにをへやで、。，．,.（(「」』)）・\n]|$)")
_GIVEN_TAIL = re.compile(r"[一-龥々]{1,2}")


def _surname_then_given(text: str, tokens: list[Token], add: AddFn) -> None:
    """片山英木, 李元馥: a surname Sudachi knows, glued to two kanji it can only read one
    by one (英+木) or not at all, with the name ending there — a particle or punctuation
    right after. A tail that is one dictionary word is one more noun (湯平温泉, 角川書店,
    小田船長), and so is a single character (南條宅, 遠本線)."""
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if not (tok.is_person_name and tok.pos[3:4] == ("姓",) and tok.end - tok.start >= 2):
            continue
        j = i + 1
        while (
            j < n
            and tokens[j].start == tokens[j - 1].end
            and _GIVEN_TAIL.fullmatch(text, tokens[j].start, tokens[j].end)
        ):
            j += 1
        if j == i + 1 or j - i > 3:
            continue
        start, end = tokens[i + 1].start, tokens[j - 1].end
        tail = text[start:end]
        if not _GIVEN_TAIL.fullmatch(tail) or not _AFTER_FULL_NAME.match(text, end):
            continue
        if tail in HONORIFICS or tail in NOT_NAMES or tail in _COMPANY_WORD_SET:
            continue
        parts = tokens[i + 1 : j]
        if any(t.is_person_name or t.pos[0] != "名詞" or t.pos[2:3] == ("地名",) for t in parts):
            continue  # 姓+名 is _from_tokens' own; 鈴木町, 鈴木する are no given names
        if not (all(t.end - t.start == 1 for t in parts) and len(parts) == 2) and not any(
            t.is_oov for t in parts
        ):
            continue  # one dictionary word (温泉, 書店, 船長) or one character (宅, 線)
        add(tok.start, end, 0.6)


_KANJI_1_3 = re.compile(r"[一-龥々〆ヶ\U00020000-\U0003134F]{1,3}")
_GIVEN_SHAPE = re.compile(r"[一-龥々〆ヶ]{1,3}|[ぁ-ゖ]{2,4}")
_KATAKANA_GIVEN = re.compile(r"[ァ-ヴ][ァ-ヴー]{1,6}")
_HIRAGANA_GIVEN = re.compile(r"[ぁ-ゖ]{2,4}")
_HIRAGANA = re.compile(r"[ぁ-ゖ]")
# Role and unit words that stand before a name with a space (部長 裕子 is no full name).
_ROLE_SUFFIX = re.compile(r"(?:長|役|部|課|室|係|者|員|様|殿|氏|君|社|店|所|局|班|担当)$")
_BEFORE_NAME = frozenset(" \t\u3000\n|,，、・:：（(「『[［/／")
_PARTICLES = frozenset("とがはのもにをや")
_AFTER_NAME = frozenset("\n\t|,，、;；（(「」』)）")
_HIRAGANA_RUN = re.compile(r"[ぁ-ゖ]{2,4}(?![ぁ-ゖ])")
# Six and more single characters in a row, each after a space (年 次 有 給 休 暇; a spaced
# name with its label is five: 氏名 鈴 木 一 朗).
_SPACED_OUT = re.compile(r"(?:\S[ \u3000]){5,}\S")


def _spaced_full_names(text: str, tokens: list[Token], add: AddFn) -> None:
    """南 信之, 大木 綾乃, 筧 実, 李 娜: a surname and a given name with one space between,
    when Sudachi knows one half as a name (the given name, or the surname) and the other
    half has the shape of the missing one — surnames that are words (南, 星, 雅) and given
    names it does not know."""
    n = len(tokens)
    for i in range(1, n - 1):
        space = tokens[i]
        if text[space.start : space.end] not in (" ", "\u3000"):
            continue
        left, right = tokens[i - 1], tokens[i + 1]
        surname = text[left.start : left.end]
        given = text[right.start : right.end]
        if surname in NOT_NAMES or given in NOT_NAMES:
            continue
        if left.end - left.start == 1 and _SPACED_OUT.search(
            text, max(0, left.start - 8), min(len(text), right.end + 8)
        ):
            continue  # 年 次 有 給 休 暇: a PDF copy spacing out every character
        if left.pos[1:2] != ("固有名詞",) and _ROLE_SUFFIX.search(surname):
            continue  # 営業部 裕子 (but 根室 一馬: one proper noun ending in 室)
        known_given = right.is_person_name and right.pos[3:4] == ("名",)
        known_surname = left.is_person_name and left.pos[3:4] == ("姓",)
        # 一戸 大樹くん: a surname Sudachi reads as two words (一|戸), before a given name
        # it knows and a personal honorific
        if known_given and _PERSONAL_HONORIFIC.match(text, right.end):
            lo = space.start
            while lo > 0 and space.start - lo < 3 and _KANJI_1_3.match(text[lo - 1]):
                lo -= 1
            if (
                2 <= space.start - lo <= 3
                and lo < left.start
                and (lo == 0 or text[lo - 1] in _BEFORE_NAME)
                and text[lo : space.start] not in NOT_NAMES
            ):
                add(lo, right.end, 0.7)
                continue
        before = text[left.start - 1] if left.start > 0 else ""
        if (
            before
            and before not in _BEFORE_NAME
            and not (before in _PARTICLES and tokens[i - 2].pos[:1] == ("助詞",))
            # 入園する仲村渠 陽向: a known surname after a verb or a particle
            and not (known_surname and _HIRAGANA.match(before))
        ):
            continue  # 大阪営業 裕子: the first half must start a word
        if known_given and _KANJI_1_3.fullmatch(surname) and not left.is_person_name:
            add(left.start, _through_glued_kanji(text, tokens, i + 2, right.end), 0.7)
            continue
        # 春日 トメ: a place that is a surname too, then a kana name Sudachi knows
        if (
            right.is_person_name
            and left.place_or_surname
            and _KANJI_1_3.fullmatch(surname)
            and (_KATAKANA_GIVEN.fullmatch(given) or _HIRAGANA_GIVEN.fullmatch(given))
        ):
            add(left.start, right.end, 0.65)
            continue
        # 森 さくら：, 高瀬 りん（重度）: a known surname, then a given name in hiragana that
        # ends there (often a word the dictionary knows: さくら, ひかり)
        if (
            known_surname
            and right.pos[:1] == ("名詞",)
            and (run := _HIRAGANA_RUN.match(text, right.start)) is not None
            and run.end() == right.end
            and (
                right.end == len(text) or text[right.end] in _AFTER_NAME or text[right.end] in ":："
            )
        ):
            add(left.start, right.end, 0.7)
            continue
        # 李 承哲: a given name Sudachi cut in one-character pieces (承|哲)
        end = right.start
        while end < len(text) and end - right.start < 3 and _KANJI_1_3.match(text[end]):
            end += 1
        if (
            known_surname
            and end - right.start >= 2
            and end > right.end
            and (end == len(text) or text[end] in _AFTER_NAME or text[end] in _PARTICLES)
        ):
            pieces = name_layout.tokens_within(tokens, right.start, end)
            if pieces and pieces[-1].end == end and all(t.end - t.start == 1 for t in pieces):
                add(left.start, end, 0.7)
                continue
        elif (
            known_surname
            and not right.is_person_name
            and _GIVEN_SHAPE.fullmatch(given)
            and (right.is_oov or len(given) <= 2)
            and (
                right.end == len(text)
                or text[right.end] in _AFTER_NAME
                # 李 承哲と王 偉: a given name no dictionary knows, before a particle;
                # 中条 誠から, 金子 葵に: a word the dictionary also lists as a name
                or (right.is_oov and text[right.end] in _PARTICLES)
                or (
                    right.place_or_surname
                    and i + 2 < n
                    and tokens[i + 2].start == right.end
                    and tokens[i + 2].pos[:1] == ("助詞",)
                )
            )
        ):
            add(left.start, right.end, 0.7)
        elif (
            known_surname
            and not right.is_person_name
            and _KATAKANA_GIVEN.fullmatch(given)
            and (right.is_oov or right.is_joined_katakana or right.pos[1:2] == ("固有名詞",))
            and (
                right.end == len(text) or text[right.end] in _AFTER_NAME or text[right.end] in ":："
            )
        ):
            add(left.start, right.end, 0.7)  # 阿部 ピリカ（…）, 喜屋武 ウシ（…）


_KATAKANA_PAIR = re.compile(
    r"(?<![ァ-ヴー・=＝])([ァ-ヴ][ァ-ヴー]{1,7})[ \u3000]([ァ-ヴ][ァ-ヴー]{1,7})(?![ァ-ヴー・=＝])"
)


# The honorifics a name in hiragana stands before (こにしさん, ながさわ様, たかぎさん).
_HIRAGANA_HONORIFIC = re.compile(r"さん|様|さま|くん|氏(?!名)")
_HIRAGANA_RUN_MAX = 7


def _hiragana_names(text: str, tokens: list[Token], add: AddFn) -> None:
    """A name written in hiragana before さん or 様. Sudachi cuts a name it does not know
    into pieces (こ|に|し, なが|さ|わ); a word it knows is one piece (みな, おじ, こちら,
    お|きゃく): after leading particles and the prefixes お and ご, two pieces or more,
    or one it tags as a name, make a name. Found from the honorific backwards (a pattern
    starting at every run of hiragana cost 0.05 ms per 1,000 characters)."""
    runs: dict[int, int] = {}  # start of a hiragana run -> the last honorific in reach
    for h in _HIRAGANA_HONORIFIC.finditer(text):
        end = h.start()
        if end > 0 and text[end - 1] in " \u3000":
            end -= 1
        start = end
        while start > 0 and "ぁ" <= text[start - 1] <= "ゖ":
            start -= 1
        if 2 <= end - start <= _HIRAGANA_RUN_MAX:
            runs[start] = end
    for start, end in runs.items():
        inner = name_layout.tokens_within(tokens, start, end)
        if not inner or inner[0].start != start or inner[-1].end != end:
            continue  # a token runs past the hiragana: part of a longer word
        k = 0
        while k < len(inner) and inner[k].pos[:1] in (("助詞",), ("接頭辞",)):
            k += 1
        rest = inner[k:]
        if not rest or rest[-1].end - rest[0].start < 2:
            continue
        if len(rest) == 1 and not rest[0].is_person_name:
            continue  # one word of the dictionary: みなさん, おじさん, あなたさま
        add(rest[0].start, rest[-1].end, 0.7)


def _katakana_full_names(text: str, by_start: dict[int, Token], add: AddFn) -> None:
    """イケハラ キヨコ, チネン タクミ (or ｲﾏｲｽﾞﾐ ﾕｳｺ, folded): a reading written as two
    katakana words, when Sudachi knows one as a given name or a surname and the other is
    not a dictionary word of its own (サービス タクミ, ホテル サクラ are no names)."""
    if " " not in text and "\u3000" not in text:
        return
    for m in _KATAKANA_PAIR.finditer(text):
        (ls, le), (rs, re_) = m.span(1), m.span(2)
        left, right = by_start.get(ls), by_start.get(rs)
        left = left if left is not None and left.end == le else None
        right = right if right is not None and right.end == re_ else None
        if right is not None and right.is_person_name and right.pos[3:4] == ("名",):
            other = left
        elif left is not None and left.is_person_name and left.pos[3:4] == ("姓",):
            other = right
        else:
            continue
        if other is not None and not (
            other.is_person_name or other.is_oov or other.is_joined_katakana
        ):
            continue  # a word of the dictionary (one token, not a name) is no name part
        if m.group(1) in NOT_NAMES or m.group(2) in NOT_NAMES:
            continue
        add(ls, re_, 0.6)


# 名札に「オカモト」とあった, 名前は『湯浅』: the quoted word after a word for a name is one.
_QUOTED_NAME = re.compile(
    katakana_context.NAME_WORD + r"[「『]"
    r"(?P<n>[一-龥々〆ヶぁ-ゖァ-ヴー]{1,10}(?:[ \u3000・][一-龥々〆ヶぁ-ゖァ-ヴー]{1,10})?)[」』]"
)


def _quoted_names(text: str, by_start: dict[int, Token], add: AddFn) -> None:
    """The name quoted after 名札 / 名前 / 署名 (a layout: the word decides, not the quote
    marks, which alone would make a katakana word a product's name)."""
    if "「" not in text and "『" not in text:
        return
    for m in _QUOTED_NAME.finditer(text):
        start, end = m.span("n")
        name = m.group("n")
        if name in NOT_NAMES or name_layout.is_unit(name) or _one_word(by_start, start, end):
            continue  # 署名は「カスタマーサポート部」, 名前は「未定」
        add(start, end, 0.75)


def _from_context(text: str, tokens: list[Token], by_start: dict[int, Token], add: AddFn) -> None:
    for m in _INITIALS_NAME.finditer(text):
        add(m.start(), m.end(), 0.6)

    for m in _ROMAJI_PAIR.finditer(text):
        first, second = m.group(1), m.group(2)
        if not (romanized.ROMAJI.fullmatch(first) and romanized.ROMAJI.fullmatch(second)):
            continue
        # SATO Kenichi: the upper-case surname is the Japanese business convention.
        if not all(w.isupper() or w[1:].islower() for w in (first, second)):
            continue  # OpenAI, iPhone: brand casing, not a name
        if (
            first.isupper() != second.isupper()
            or first.lower() in ROMAJI_SURNAMES
            or second.lower() in ROMAJI_SURNAMES
        ):
            add(m.start(), m.end(), 0.7)
        elif min(len(first), len(second)) >= 4:
            # Haruhiko Morimoto: two long words made of Japanese syllables only.
            add(m.start(), m.end(), 0.6)
    for m in _KANA_PAIR.finditer(text):
        start, end = m.span(1)
        if (
            _ACCOUNT_HOLDER_CONTEXT.search(text[max(0, start - 40) : start])
            or start > 0
            and text[start - 1].isdigit()
        ):
            add(start, end, 0.65)
    if "ちゃん" in text or "くん" in text:
        for m in _HIRAGANA_CHILD.finditer(text):
            add(m.start(), m.end(), 0.6)
    # A hiragana name only in a name field (ふりがな：ちひろ), never after 担当 (担当します).
    if _NAME_FIELD_ANYWHERE.search(text):
        for m in _HIRAGANA_WORD.finditer(text):
            glued = m.start() > 0 and not _SEPARATOR.match(text[m.start() - 1])
            if not glued and _NAME_FIELD_BEFORE.search(text[max(0, m.start() - 8) : m.start()]):
                add(m.start(), m.end(), 0.7)
    for m in _KATAKANA_NAME.finditer(text):
        # 宛名データ: a dictionary word glued to a label is a compound, not a name; and a
        # dictionary word before a job title is a function (マーケティング課長).
        glued = m.start() > 0 and not _SEPARATOR.match(text[m.start() - 1])
        plain = name_layout.is_plain_word(text, m.start(), m.end(), tokens)
        if (
            plain
            and _has_honorific_after(text, m.end())
            and not _PERSONAL_HONORIFIC.match(text, m.end())
        ):
            continue
        if (
            _has_honorific_after(text, m.end())
            or (
                _has_label_before(text, m.start())
                # (a role is also a transcript's speaker: 面接官: アクセス権は…)
                and not (glued and plain)
                and not (
                    _ROLE_LABEL_BEFORE.search(text[max(0, m.start() - 8) : m.start()])
                    and _one_word(by_start, m.start(), m.end())
                )
                # (担当はロール名で: a word of the dictionary in a compound)
                and not (plain and name_layout.is_compound_part(by_start, text, m.end()))
            )
        ):
            if m.group() not in NOT_NAMES and len(m.group()) <= 20:
                add(m.start(), m.end(), 0.75)
    # A katakana word with a title after it or a role before it (ナーセル大統領, 俳優の
    # ギグ・ヤング): a foreign name even when no dictionary knows it.
    for m in katakana_context.KATAKANA_RUN.finditer(text):
        start, end = m.span()
        if 2 <= end - start <= 20 and m.group() not in NOT_NAMES:
            plain = name_layout.is_plain_word(text, start, end, tokens)
            if plain and name_layout.is_place(text, start, end, tokens):
                continue  # マレーシア首相, ローマ教皇
            if katakana_context.person_context(text, start, end, dictionary_word=plain):
                add(start, end, 0.7)
    for m in _ROMAJI_NAME.finditer(text):
        if name_layout.filler_words(m.group()):
            continue
        if (
            _has_honorific_after(text, m.end())
            or _has_label_before(text, m.start())
            or re.search(r"(?:Mr|Ms|Mrs|Dr)\.?\s?$", text[max(0, m.start() - 5) : m.start()])
        ):
            add(m.start(), m.end(), 0.75)


def rule_candidates(
    text: str, tokens: list[Token], by_start: dict[int, Token] | None = None
) -> dict[tuple[int, int], float]:
    """Name candidates from Sudachi tags and context alone (no NER): span -> score."""
    candidates: dict[tuple[int, int], float] = {}

    def add(start: int, end: int, score: float) -> None:
        if end <= start or end - start > 40:
            return
        key = (start, end)
        candidates[key] = max(score, candidates.get(key, 0.0))

    if by_start is None:
        by_start = {t.start: t for t in tokens}
    _from_tokens(text, tokens, add)
    _from_context(text, tokens, by_start, add)
    _spaced_full_names(text, tokens, add)
    _chains_and_latin(text, tokens, add)
    _katakana_full_names(text, by_start, add)
    _hiragana_names(text, tokens, add)
    # Names the layout vouches for (a table column, a chat speaker) may be one character.
    by_layout: dict[tuple[int, int], float] = {}

    def add_layout(start: int, end: int, score: float) -> None:
        if 0 < end - start <= 40:
            by_layout[(start, end)] = max(score, by_layout.get((start, end), 0.0))

    name_layout.table_names(text, add_layout)
    name_layout.field_names(text, add_layout, by_start)
    name_layout.speaker_names(text, by_start, NOT_NAMES, add_layout)
    name_layout.listed_people(text, tokens, NOT_NAMES, add_layout)
    name_layout.self_introductions(text, by_start, NOT_NAMES, add_layout)
    name_layout.labelled_slots(text, by_start, NOT_NAMES, add_layout)
    name_layout.role_names(text, by_start, NOT_NAMES, add_layout)
    name_layout.english_names(text, add_layout)
    name_layout.handles(text, add_layout)
    _quoted_names(text, by_start, add_layout)
    name_layout.vcard_names(text, add_layout)
    romanized.asian_names(text, add_layout)
    romanized.hangul_names(text, add_layout)
    name_layout.transfer_holders(text, add_layout)
    _raise_names_in_lists(text, candidates)
    _extend_given_names(text, candidates, tokens)
    # 林部長, 森課長, 原監督: a one-character surname Sudachi tags as a name stands with any
    # honorific or title; otherwise it needs a personal one (林さん), or GiNZA decides.
    titled = {
        t.start
        for t in tokens
        if t.end - t.start == 1
        and text[t.start] not in _COUNTRY_ABBREVIATIONS
        and (
            (t.is_person_name and _has_honorific_after(text, t.end))
            # 担当の林から: a surname (or a word that is one too) after a person label,
            # before a particle
            or (
                (t.is_person_name or t.place_or_surname)
                and _has_label_before(text, t.start)
                and by_start.get(t.end) is not None
                and by_start[t.end].pos[:1] == ("助詞",)
            )
        )
    }
    kept = {
        span: score
        for span, score in candidates.items()
        if _plausible(text, *span, titled=span[0] in titled)
        and not _not_a_person(text, *span, score, tokens, by_start)
    }
    for span, score in by_layout.items():
        kept[span] = max(score, kept.get(span, 0.0))
    if kept and _mentions_examples(text):
        kept = {span: v for span, v in kept.items() if not _placeholder(text, *span)}
    _readings_below(text, kept, by_start)
    return _remember(text, kept)


# Words that say a text shows examples, not data: 記入例, ダミー, 仮名, 架空の名前…
_EXAMPLE_WORDS = re.compile(
    r"記入例|入力例|例えば|例[：:]|例として|例を|ダミー|仮名|架空|サンプル|見本|テンプレート"
    # (whole words, not a domain: sae@example.jp is no example of a name)
    r"|(?<![@.\w])(?i:placeholder|dummy|sample|example)(?![.@\w-])"
)
# Each word of _EXAMPLE_WORDS contains one of these: a check with ``in`` first (the
# pattern itself tries every position of a text that has none).
_EXAMPLE_HINTS = ("例", "ダミー", "仮名", "架空", "サンプル", "見本", "テンプレート") + tuple(
    "placeholder dummy sample example".split()
)


def _mentions_examples(text: str) -> bool:
    folded = text.casefold()
    return any(w in folded for w in _EXAMPLE_HINTS) and _EXAMPLE_WORDS.search(text) is not None


_EXAMPLE_MARK_AFTER = re.compile(r"[ \u3000]?[（(](?:仮名|架空|仮|例|ダミー|サンプル)[）)]")
_OPEN_QUOTES, _CLOSE_QUOTES = '「『“"', '」』”"'
_EXAMPLE_REACH = 40
_QUOTED_REACH = 12  # a name and the words beside it inside one pair of quotes


def _placeholder(text: str, start: int, end: int) -> bool:
    """山田太郎（仮名）, or a quoted name where the sentence says it is an example (「山田 太郎」
    のようなダミー, 架空の名前（「日本 花子」など）): a stand-in, not someone's name. A quoted
    name with an honorific after the quote (「田中一郎」さん) is someone's."""
    if _EXAMPLE_MARK_AFTER.match(text, end):
        return True
    before = text[max(0, start - _QUOTED_REACH) : start]
    opening = max(before.rfind(q) for q in _OPEN_QUOTES)
    if (
        opening < 0
        or any(q in before[opening:] for q in _CLOSE_QUOTES if q != '"')
        or "\n" in before[opening:]
    ):
        return False
    after = text[end : end + _QUOTED_REACH]
    closing = min((k for k in (after.find(q) for q in _CLOSE_QUOTES) if k >= 0), default=-1)
    if closing < 0 or "\n" in after[:closing]:
        return False
    if _PERSONAL_HONORIFIC.match(text, end + closing + 1):
        return False
    line_start = max(text.rfind("\n", 0, start) + 1, start - _EXAMPLE_REACH)
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else min(line_end, end + _EXAMPLE_REACH)
    return _EXAMPLE_WORDS.search(text, line_start, line_end) is not None


# A line that is only a name's reading: ｱｻﾞﾏ ﾐｽﾞﾎ / アザマ ミズホ / Shinichiro Tsubame.
_READING_LINE = re.compile(
    r"[ \t\u3000]*([ァ-ヴ][ァ-ヴー]{1,9}(?:[ \u3000・][ァ-ヴ][ァ-ヴー]{1,9})?"
    r"|\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+){1,2}|[A-Z]{2,}(?: [A-Z]{2,}){1,2})[ \t\u3000]*(?=\n|$)"
)


def _readings_below(
    text: str, candidates: dict[tuple[int, int], float], by_start: dict[int, Token]
) -> None:
    """In a signature the line under a name is often its reading: a name alone on its
    line (安座間 瑞穂), then a line with nothing but katakana or a Latin name."""
    for (start, end), score in list(candidates.items()):
        if score < 0.5:
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        if line_end < 0 or text[line_start:start].strip() or text[end:line_end].strip():
            continue  # the name is not alone on its line
        m = _READING_LINE.match(text, line_end + 1)
        if m is None or m.group(1) in NOT_NAMES:
            continue
        word = by_start.get(m.start(1))
        if (
            word is not None
            and word.end == m.end(1)
            and word.is_common_noun
            and not (word.is_person_name or word.is_oov or word.is_joined_katakana)
        ):
            continue  # マーケティング under a name is a department, not a reading
        key = m.span(1)
        candidates[key] = max(0.7, candidates.get(key, 0.0))


# A weak candidate (a given name alone scores 0.3) in a window past the NER budget.
_WEAK_SCORE = 0.3
_UNRESOLVED_SCORE = 0.55
_COMPANY_WORD_SET = frozenset(COMPANY_WORDS)
_COMPANY_END = re.compile("(?:" + "|".join(COMPANY_WORDS) + ")$")
_INSTITUTION_END = re.compile(r"(?:館|院|大学|学園|学院|農園|神社|書房|出版|新聞社?)$")
# What a katakana word Sudachi lists as a name scores on that alone (see _from_tokens).
_KATAKANA_NAME_SCORE = 0.6
_KATAKANA_WORD = re.compile(r"[ァ-ヴー]+")
_KATAKANA_CHAIN = re.compile(r"[ァ-ヴー・=＝ ]+")
# What a lone surname tag scores (see _from_tokens).
_SURNAME_ONLY_SCORE = 0.55


_LIST_MARKS = frozenset("、・や,，")
_PLACE_HEADER = re.compile(
    r"駅|店舗|支店|拠点|地域|エリア|都道府県|市区町村|地名|所在地|会場|出発|到着|行き先|工場"
)


def _is_place_token(tok: Token | None) -> bool:
    return (
        tok is not None
        and tok.pos[2:3] == ("地名",)
        and not (tok.is_person_name or tok.place_or_surname)  # 千葉, 設楽: surnames too
    )


def _listed_with_places(
    text: str, start: int, end: int, by_start: dict[int, Token], tokens: list[Token]
) -> bool:
    """A lone surname listed beside place names (赤羽、北千住、葛西) is a place too."""
    if end < len(text) and text[end] in _LIST_MARKS and _is_place_token(by_start.get(end + 1)):
        return True
    if start > 1 and text[start - 1] in _LIST_MARKS:
        before = name_layout.tokens_overlapping(tokens, start - 2, start - 1)
        return bool(before) and _is_place_token(before[0])
    return False


def _under_place_header(text: str, start: int, end: int) -> bool:
    """A table cell under 駅名, 店舗, 拠点…: a place, whatever else it could be."""
    header = tables.cell_index(text).header_of(start, end)
    return header is not None and _PLACE_HEADER.search(header) is not None


def _not_a_person(
    text: str, start: int, end: int, score: float, tokens: list[Token], by_start: dict[int, Token]
) -> bool:
    """Organisations, places and compound words that Sudachi or GiNZA tag as names."""
    if name_layout.organisation_before(text, start, end):
        return True
    if end - start > 2 and _COMPANY_END.search(text, start, end):
        return True  # ヤマト運輸, 山之内製薬: one dictionary "name" that is a company
    if end - start >= 4 and _INSTITUTION_END.search(text, start, end):
        return True  # 吉川弘文館, 立教大学講師: a publisher or a school named after someone
    if text[start:end] in _COMPANY_WORD_SET:
        return True  # ヤマカ物流様: the company word before the honorific, not a surname
    if name_layout.is_organisation_chain(text, start, end, tokens):
        return True
    if _KATAKANA_CHAIN.fullmatch(text, start, end) and katakana_context.thing_context(
        text, start, end
    ):
        return True  # ジロンダン・ボルドー戦, ハセガワ製, JPモルガン
    if (
        start > 0
        and _KATAKANA_WORD.fullmatch(text, start, end)
        and _KATAKANA_WORD.fullmatch(text, start - 1, start)
    ):
        before = name_layout.tokens_overlapping(tokens, start - 1, start)
        if before and not before[0].is_person_name:
            return True  # キャノン|デール, ハーレー|ダビッドソン: the tail of one katakana word
    if score <= _SURNAME_ONLY_SCORE and (
        _listed_with_places(text, start, end, by_start, tokens)
        or _under_place_header(text, start, end)
    ):
        return True  # 赤羽、北千住、葛西 / a 駅名 column: places that are surnames too
    # A lone surname tag (有松, 湯平) glued to a noun is a place or a facility, and so is a
    # katakana word Sudachi also lists as a name (マイナ保険証, ヤマト運輸, ガウス軌道); a
    # full name in kanji before a noun (手塚治虫原作) is still a name.
    weak = score <= _SURNAME_ONLY_SCORE or (
        score <= _KATAKANA_NAME_SCORE and _KATAKANA_WORD.fullmatch(text[start:end]) is not None
    )
    return weak and name_layout.is_compound_part(by_start, text, end)


def _remember(
    text: str, candidates: dict[tuple[int, int], float], done: frozenset[str] = frozenset()
) -> dict[tuple[int, int], float]:
    """Once a text has shown a name, its other standalone occurrences are that name.
    ``done``: names whose occurrences are already among the candidates."""
    confident = [
        span
        for span, score in candidates.items()
        if score >= 0.5 and text[slice(*span)] not in done
    ]
    for span in name_layout.remembered(text, confident):
        candidates[span] = max(0.6, candidates.get(span, 0.0))
    return candidates


_NAME_FIELD_BEFORE = re.compile(
    r"(?:氏名|名前|お名前|フリガナ|ふりがな|よみがな|カナ)\s?[:：]?\s?$"
)
_NAME_FIELD_ANYWHERE = re.compile(r"氏名|名前|フリガナ|ふりがな|よみがな|カナ")
_HIRAGANA_WORD = re.compile(r"[ぁ-ゖ]{2,8}(?=$|[\s、。,（(])")
_PERSONAL_HONORIFIC_FIRST = frozenset("様さ氏殿くち君 \u3000")
_DEPARTMENT_PREFIX = re.compile(
    r"[一-龥ァ-ヴー]{1,10}(?:部|課|室|係|局|所|店|社|チーム|グループ|センター)"
    r"[ \u3000]+"
)
_LIST_JOINER = ("、", "，", ",", "・", "と", "や", " ")


def _raise_names_in_lists(text: str, candidates: dict[tuple[int, int], float]) -> None:
    """田中、鈴木、林: a weak name candidate listed next to a confident one is a name too."""
    confident_ends = {e for (s, e), v in candidates.items() if v >= 0.5}
    confident_starts = {s for (s, e), v in candidates.items() if v >= 0.5}
    for (start, end), score in list(candidates.items()):
        if score >= 0.5:
            continue
        before = start - 1 if start > 0 and text[start - 1] in _LIST_JOINER else None
        after = end if end < len(text) and text[end] in _LIST_JOINER else None
        if (before is not None and before in confident_ends) or (
            after is not None and after + 1 in confident_starts
        ):
            candidates[(start, end)] = 0.6


def _extend_given_names(
    text: str, candidates: dict[tuple[int, int], float], tokens: list[Token]
) -> None:
    """近藤　葵, 藤田 さくら, 平良 カメ: a surname followed by a space and a short kanji,
    hiragana or katakana word is a full name even when Sudachi does not know the given name.
    Before a particle (鬼塚 隼人は) or in katakana (田中 チーム) the word must be a name
    or unknown to Sudachi."""
    for (start, end), score in list(candidates.items()):
        if score < 0.5 or end - start > 4:
            continue
        m = _GIVEN_AFTER.match(text, end)
        if m and (m.group("particle") or "ァ" <= m.group(1)[0] <= "ヺ"):
            inner = name_layout.tokens_within(tokens, m.start(1), m.end(1))
            if not inner or any(
                not (t.is_person_name or t.is_oov or t.is_proper_noun) for t in inner
            ):
                continue
        if m and m.group(1) not in NOT_NAMES:
            key = (start, m.end(1))
            candidates[key] = max(score, candidates.get(key, 0.0))
            del candidates[(start, end)]


# 韓大統領, 米首相: one-character country names before a title are not surnames.
_COUNTRY_ABBREVIATIONS = frozenset("米英仏独韓中露伊豪加印朝日蘭西葡墨比瑞")


def _plausible(text: str, start: int, end: int, titled: bool = False) -> bool:
    """Drop spans that are labels, role words, places (梅田支店) or lone characters."""
    value = text[start:end]
    if value in NOT_NAMES or value in LABELS or value.endswith("者"):
        return False
    if len(value) >= 3 and value.endswith("屋"):
        return False  # 中村屋, 新宿中村屋さん: a shop (土屋, 古屋 are surnames)
    if _PLACE_AFTER.match(text, end):
        return False
    if end - start == 1 and not titled and not _PERSONAL_HONORIFIC.match(text, end):
        return False
    if end - start == 1 and "A" <= value <= "Z":
        return False  # Aさん, B氏: a letter that stands for someone is no name
    if value[-1:] == "口" and text[max(0, start - 2) : start].rstrip(" \u3000").endswith("駅"):
        return False  # 南浦和駅 東口: a station exit
    return True


def ner_triggers(
    text: str, tokens: list[Token]
) -> tuple[list[tuple[int, int]], dict[tuple[int, int], float]]:
    """Where GiNZA is worth running: name evidence the rules could not settle.

    A name the rules already report (佐藤健一さん, 担当の鈴木) needs no NER; a lone surname,
    a katakana chain, a name label or an honorific after an unknown word does.
    """
    by_start = {t.start: t for t in tokens}
    candidates = rule_candidates(text, tokens, by_start)
    mask = bytearray(len(text) + 1)
    for (start, end), score in candidates.items():
        if score >= 0.5:
            mask[start:end] = b"\x01" * (end - start)

    def covered(start: int, end: int) -> bool:
        return end > start and all(mask[start:end])

    spots: list[tuple[int, int]] = []
    for i, tok in enumerate(tokens):
        if tok.is_person_name and not covered(tok.start, tok.end):
            word = text[tok.start : tok.end]
            if word.isascii() and not word[:1].isupper():
                continue  # need, bank, keys: English words Sudachi also lists as names
            if _in_address_or_url(text, tok.start, tok.end) or name_layout.organisation_before(
                text, tok.start
            ):
                continue
            spots.append((tok.start, tok.end))
        elif (
            i > 0
            and text[tok.start] in _PERSONAL_HONORIFIC_FIRST
            and _PERSONAL_HONORIFIC.fullmatch(text[tok.start : tok.end])
            and not covered(tokens[i - 1].start, tokens[i - 1].end)
            and text[tokens[i - 1].start : tokens[i - 1].end] not in NOT_NAMES
            and _KANJI_OR_KANA.fullmatch(text[tokens[i - 1].start : tokens[i - 1].end])
        ):
            spots.append((tokens[i - 1].start, tok.end))
    # Katakana chains and Latin pairs are settled by rules (_chains_and_latin): GiNZA
    # calls nearly every ・ chain a Person and knows little of romaji, so its windows there
    # were mostly spent for nothing (measured on unseen prompts: 17 of 126 useful).
    # A label (氏名, 担当, 名義…) settles nothing by itself; the name slot after it does —
    # when there is one: not a table header (氏名\t…), not 担当者様, not 担当している.
    for m in _LABEL_ANYWHERE.finditer(text):
        name_start = _name_slot(text, m.end(), by_start)
        if name_start is not None and not any(mask[name_start : name_start + 4]):
            spots.append((m.start(), min(len(text), m.end() + 10)))
    return sorted(spots), candidates


_SLOT_GAP = frozenset(" \u3000:：=")
_NAMEABLE = re.compile(r"[一-龥々〆ヶぁ-ゖァ-ヴA-Za-z\U00020000-\U0003134F]")


def _name_slot(text: str, end: int, by_start: dict[int, Token]) -> int | None:
    """Where the name after a label starts, or None when no name can follow it."""
    pos = end
    while pos < len(text) and text[pos] in _SLOT_GAP:
        pos += 1
    if pos < len(text) and text[pos] in "はの" and pos == end:
        pos += 1
    if pos >= len(text) or not _NAMEABLE.match(text[pos]):
        return None
    tok = by_start.get(pos)
    if tok is not None and tok.pos and tok.pos[0] in ("動詞", "助詞", "助動詞", "接尾辞"):
        return None
    if pos == end and (tok is None or not (tok.is_person_name or tok.is_proper_noun)):
        return None  # glued to the label: 担当者, 担当部署, 氏名欄
    if _has_honorific_after(text, end):
        return None
    return pos


def _in_address_or_url(text: str, start: int, end: int) -> bool:
    """A name-like token inside an e-mail address or a URL (y.ono@…, /yamamoto/)."""
    lo, hi = start, end
    while lo > 0 and not text[lo - 1].isspace() and text[lo - 1].isascii():
        lo -= 1
    while hi < len(text) and not text[hi].isspace() and text[hi].isascii():
        hi += 1
    run = text[lo:hi]
    return "@" in run or "://" in run or run.count("/") >= 2


def _chains_and_latin(text: str, tokens: list[Token], add: AddFn) -> None:
    """A ・ chain or a Latin pair with a link Sudachi knows as a name (or does not know
    at all) is a name: マリア・サントス, Sarah Johnson; a chain of ordinary words
    (ハイフンあり・なし) or an organisation (スタジオ・ノーム) is not."""
    for start, end in itertools.chain(
        _name_chains(text), (m.span() for m in _ROMAJI_NAME.finditer(text))
    ):
        inner = [
            t
            for t in name_layout.tokens_within(tokens, start, end)
            if _NAMEABLE.match(text[t.start])
        ]
        names = sum(1 for t in inner if t.is_person_name)
        unknown = sum(1 for t in inner if t.is_oov and not t.is_person_name)
        value = text[start:end]
        if value.isascii():
            # Sarah Johnson, Lucas Dubois: two names, or a name and a word Sudachi does
            # not know or knows as a proper noun that is not a place (Emma Johansson,
            # Jason Miller); capitals only (PCI DSS, PRIMARY KEY) are acronyms and code.
            proper = sum(
                1
                for t in inner
                if t.is_proper_noun and not t.is_person_name and t.pos[2:3] != ("地名",)
            )
            if value.isupper() or names < 1 or names + unknown + proper < 2:
                continue
            if name_layout.latin_organisation(value):
                continue
        elif value[:1] <= "ゖ":
            # ひらがなの名前・連なり: every link must be a name (について この is prose).
            if "\n" in value or names < len(inner):
                continue
        elif names < 1 and unknown < 1:
            continue
        elif names < 2 and any(
            t.is_common_noun
            and not (t.is_person_name or t.is_oov or t.is_joined_katakana)
            and t.end - t.start >= 4
            for t in inner
        ):
            continue  # ホテル・エデン, ワールド・ソーラー・レース: a word of the dictionary in it
        if name_layout.is_organisation_chain(text, start, end, tokens):
            continue
        if name_layout.organisation_before(text, start, end):
            continue
        add(start, end, 0.6)


# Works of fiction and their authors: ドラマ『半沢直樹』の大和田常務, 夏目漱石『こころ』, 芥川龍之介の
# 短編集. In a work named as one (after ドラマ, 小説, 漫画…) a name inside the title is the
# title and the names after it are its characters; a full name citing a work is its
# author. None of them is anyone's data. (『』 also quotes: 予約名は『ソノダ ヒロミ』.)
_TITLE = re.compile(r"『([^』\n]{1,40})』")
_WORK_KIND = re.compile(
    r"(?:ドラマ|映画|小説|漫画|マンガ|アニメ|作品|原作|ゲーム|舞台|番組|絵本|童話|戯曲)[ \u3000]?$"
)
_WORK_AFTER = re.compile(
    r"『|の『|の(?:作品|小説|短編集|短編|長編|詩集|著書|代表作|名言|名曲|原作|漫画|楽曲|戯曲|随筆|エッセイ)"
)


class _Works:
    """The titles of works in one text, and which name spans belong to them."""

    def __init__(self, text: str) -> None:
        self.text = text
        # the titles named as works (ドラマ『…』, 小説『…』)
        self.fiction = [
            m.span(1)
            for m in _TITLE.finditer(text)
            if _WORK_KIND.search(text, max(0, m.start(1) - 6), m.start(1) - 1)
        ]

    def public(self, start: int, end: int, tokens: list[Token]) -> bool:
        text = self.text
        if _PERSONAL_HONORIFIC.match(text, end):
            return False
        value = text[start:end]
        for a, b in self.fiction:
            if a <= start and end <= b:
                return True  # ドラマ『半沢直樹』: the title (『ソノダ ヒロミ』 may be a quote)
            if text[b + 1 : b + 2] == "の" and start == b + 2:
                return True  # ドラマ『半沢直樹』の大和田: a character
            if value in text[a:b]:
                return True  # 半沢, as in the title 『半沢直樹』
        if _WORK_AFTER.match(text, end):
            names = [t for t in name_layout.tokens_within(tokens, start, end) if t.is_person_name]
            return len(names) >= 2 or (len(names) == 1 and end - start >= 3)
        return False


class PersonRecognizer(EntityRecognizer):
    """Combines NER spans, Sudachi name tags and honorific/label context."""

    name: str

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[ENTITY], name="PersonRecognizer", supported_language="ja"
        )

    def load(self) -> None:  # nothing to load: the NLP engine did the heavy work
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if not isinstance(nlp_artifacts, JaNlpArtifacts):
            return []
        evidence = nlp_artifacts.rule_evidence
        candidates = (
            dict(evidence)
            if isinstance(evidence, dict)
            else rule_candidates(text, nlp_artifacts.ja_tokens)
        )

        def add(start: int, end: int, score: float) -> None:
            if end <= start or end - start > 40:
                return
            key = (start, end)
            candidates[key] = max(score, candidates.get(key, 0.0))

        tokens = nlp_artifacts.ja_tokens
        by_start = {t.start: t for t in tokens}
        for span in nlp_artifacts.ner_spans:
            if span.entity_type != ENTITY:
                continue
            value = text[span.start : span.end]
            if not (
                _has_honorific_after(text, span.end) or _has_label_before(text, span.start)
            ) and (
                name_layout.is_plain_word(text, span.start, span.end, tokens)
                or _not_a_person(text, span.start, span.end, 0.0, tokens, by_start)
                or (value.isascii() and " " not in value and "." not in value)
                or name_layout.inside_katakana_word(text, span.start, span.end)
            ):
                continue
            if any(c.isdigit() or c in "@/:._" for c in value):
                continue
            # Latin-script names are capitalised words (Taro Yamada, SATO Kenichi).
            if value.isascii() and not all(w[:1].isupper() for w in value.split()):
                continue
            start, end = span.start, span.end
            # GiNZA sometimes starts with the department (営業部 木下): keep only the name.
            dept = _DEPARTMENT_PREFIX.match(value)
            if dept and dept.end() < len(value):
                start += dept.end()
                value = text[start:end]
            # GiNZA sometimes includes the honorific (小林様): keep only the name.
            m = _HONORIFIC_SUFFIX.search(value)
            if m and m.start() > 0:
                end = start + m.start()
            add(start, end, 0.85)

        # Past the NER budget a weak candidate (a lone surname, a given name) is a name.
        # Not a Latin word alone (June, KING): English has too many words Sudachi lists.
        for u_start, u_end in nlp_artifacts.unresolved:
            for (c_start, c_end), score in list(candidates.items()):
                if (
                    _WEAK_SCORE <= score < 0.5
                    and c_start < u_end
                    and u_start < c_end
                    and not text[c_start:c_end].isascii()
                ):
                    candidates[(c_start, c_end)] = _UNRESOLVED_SCORE
        chains = _name_chains(text) if candidates else ()
        for (start, end), score in list(candidates.items()):
            reading = _READING_AFTER.match(text, end) if score >= 0.5 else None
            if reading is None and score >= 0.5 and (h := _PERSONAL_HONORIFIC.match(text, end)):
                reading = _READING_AFTER.match(text, h.end())  # ナンさん（Nan）
            if (
                reading
                and reading.group("cjk")
                and (
                    not text[start:end].isascii()
                    or any(
                        (t.is_common_noun or t.is_proper_noun)
                        and not (t.is_oov or t.is_person_name)
                        for t in name_layout.tokens_within(tokens, *reading.span("cjk"))
                        if t.end - t.start >= 2
                    )
                )
            ):
                reading = None  # 森川（記録）, Cheng（台湾出身）: a note, not the name's kanji
            if (
                reading
                and reading.group("latin")
                and not _KATAKANA_WORD.fullmatch(text, start, end)
            ):
                reading = None  # 田中（Sales）: one English word after a kanji name is a note
            if reading:
                r_start, r_end = reading.span(1)
                while r_end > r_start and text[r_end - 1].isspace():
                    r_end -= 1
                add(r_start, r_end, score)
        # The rules' names were spread over the text already (rule_candidates); only the
        # names GiNZA or the budget added are searched for again.
        done = frozenset(
            text[a:b]
            for (a, b), v in (evidence if isinstance(evidence, dict) else {}).items()
            if v >= 0.5
        )
        results = []
        works = _Works(text) if "『" in text else None
        for (start, end), score in _remember(text, candidates, done).items():
            for c_start, c_end in chains:
                if (
                    c_start <= start
                    and end <= c_end
                    and c_end - c_start <= 40
                    and not _HONORIFIC_SUFFIX.search(text, c_start, c_end)  # れん くん
                ):
                    start, end = c_start, c_end
                    break
            start, end = name_layout.widen(text, start, end)
            if works is not None and works.public(start, end, tokens):
                continue
            if name_layout.is_organisation_chain(text, start, end, tokens) or (
                _KATAKANA_CHAIN.fullmatch(text, start, end)
                and katakana_context.thing_context(text, start, end)
            ):
                continue
            results.append(self._result(start, end, score))
        return results

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type=ENTITY,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
