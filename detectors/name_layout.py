"""Where business text keeps its names without honorifics, and what is not a name.

Names in pasted business text often stand where the layout, not the words, says what
they are: the column of a CSV/TSV paste under 氏名 or フリガナ, the speaker of a chat log
line (``[10:03] 柳:``), the people of a minutes line (``林と郷が担当``). And once a text has
shown that 杉浦 is a person, every other 杉浦 in it is one too.

The reverse: a span GiNZA or Sudachi calls a name is not one when it is an ordinary
dictionary word standing alone (サッカー, ラベル, phone), part of a compound noun
(湯平温泉, ガウス軌道), or an organisation or a place written as a ・ chain
(サンフランシスコ・ジャイアンツ, アイミア・ホテル, リオ・ティント・グループ).

All rules are pure functions of the text and its Sudachi tokens.
"""

from __future__ import annotations

import bisect
import itertools
import re as stdlib_re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from operator import attrgetter

import regex as re

from detectors import romanized, tables
from detectors.nlp import Token

AddFn = Callable[[int, int, float], None]

# -- table layout ----------------------------------------------------------------------
# Header cells of a column that holds person names (or their readings).
NAME_HEADERS = frozenset(
    {
        "氏名",
        "名前",
        "お名前",
        "フリガナ",
        "ふりがな",
        "よみがな",
        "カナ",
        "氏名カナ",
        "カナ氏名",
        "氏名(カナ)",
        "氏名（カナ）",
        "セイ",
        "メイ",
        "姓",
        "名",
        "担当者",
        "担当",
        "顧客名",
        "お客様名",
        # a meeting tool's export: the name people gave themselves
        "ユーザー名",
        "表示名",
        "参加者名",
        "display name",
        "社員名",
        "従業員名",
        "会員名",
        "契約者",
        "契約者名",
        "申込者",
        "申請者",
        "受取人",
        "宛名",
        "患者名",
        "保護者",
        "保護者名",
        "応募者",
        "候補者",
        "name",
        "full name",
        "fullname",
        "first name",
        "last name",
        "first_name",
        "last_name",
        "firstname",
        "lastname",
        "first",
        "last",
        "given",
        "given name",
        "given_name",
        "family",
        "family name",
        "family_name",
        "surname",
        "kana",
        "customer",
        "customer name",
        "contact",
        "contact name",
        "owner",
        "employee",
    }
)
# A header that contains one of these is a name column (扶養親族氏名, 氏名（カナ）).
_NAME_HEADER_PARTS = (
    "氏名",
    "名前",
    "フリガナ",
    "ふりがな",
    "よみがな",
    "カナ",
    "名義",
    "ローマ字",
)


# Columns of the people a record is about: 入居者, 被保険者, 利用者 (a word for a person who
# does something, not a firm: 業者, 事業者), tenant, driver, consignee…
_PERSON_HEADER = re.compile(r"[一-龥]{1,4}(?<!業)者")
_ROLE_HEADERS = frozenset(
    "tenant resident driver consignee recipient patient assignee reporter applicant candidate"
    " guest passenger attendee participant member staff visitor requester approver employee"
    " interviewer interviewee".split()
)


def is_name_header(header: str) -> bool:
    head = header.strip().lower()
    return (
        head in NAME_HEADERS
        or head in _ROLE_HEADERS
        or _PERSON_HEADER.fullmatch(head) is not None
        or any(part in head for part in _NAME_HEADER_PARTS)
    )


_MAX_NAME_CELL = 30
_NAME_CELL = re.compile(r"[^\d@/:=<>{}\[\]]{1,30}")


# A speaker or a 担当 cell that is a department or a team (営業部:, 総務課:), not a person.
_UNIT = re.compile(
    r"(?:部|課|室|係|局|班|チーム|グループ|センター|支店|本部|事業部|社|デスク|窓口|受付|事務局"
    r"|Team|Bot|bot)$"
)
# A place: 千葉県市原市 in ・千葉物流センター（千葉県市原市）： is where, not who.
_PLACE_END = re.compile(r"[都道府県市区町村郡]$")


def is_unit(word: str) -> bool:
    """営業部, 総務課, 開発チーム: a department or a team, not a person."""
    return _UNIT.search(word) is not None


def table_names(text: str, add: AddFn) -> None:
    """Cells under a name header (氏名, フリガナ, 担当者, name, full_name…) in a CSV/TSV/Markdown
    paste."""
    for cell in tables.cells(text):
        if not (is_name_header(cell.header) or is_person_key(cell.header)):
            continue
        start, end = cell.start, cell.end
        value = text[start:end]
        if _UNIT.search(value) or value.lower() in _EMPTY_CELLS:  # 営業部, なし, 未定
            continue
        if _CELL_TITLE_ONLY.fullmatch(value):
            continue  # 課長, 主任: a title standing for whoever holds it
        if 1 <= len(value) <= _MAX_NAME_CELL and _NAME_CELL.fullmatch(value):
            if set(value) <= set("-ー－ 　*.・"):
                continue
            add(*_without_titles(text, start, end), 0.8)


def _without_titles(text: str, start: int, end: int) -> tuple[int, int]:
    """大矢 様, 野々村課長, 班長 猪俣 大輔: a cell's name without the title around it."""
    value = text[start:end]
    if (title := _CELL_TITLE_AFTER.search(value)) and title.start() > 0:
        end = start + title.start()
    if (title := _CELL_TITLE_BEFORE.match(value)) and start + title.end() < end:
        start += title.end()
    return start, end


# Cells that say whether there is someone, not who (扶養者: あり / なし).
_EMPTY_CELLS = frozenset(
    "なし 無し 無 あり 有り 有 未定 不明 同上 空欄 該当なし 未記入 本人 n/a na none tbd yes no -".split()
)
_CELL_TITLES = "様|さま|さん|氏|殿|君|くん|ちゃん|先生|部長|課長|係長|社長|主任|店長|室長|所長|班長"
_CELL_TITLE_AFTER = re.compile(r"[ \u3000]?(?:" + _CELL_TITLES + r")$")
_CELL_TITLE_ONLY = re.compile(r"(?:" + _CELL_TITLES + r"|リーダー|マネージャー)")
_CELL_TITLE_BEFORE = re.compile(r"(?:" + _CELL_TITLES + r"|リーダー|マネージャー)[ \u3000]")


_CJK_NAME_VALUE = re.compile(
    # (+ is the space of a query string: name_kana=サクライ+ノブコ)
    r"[一-龥々〆ヶ\U00020000-\U0003134F\uF900-\uFAFFぁ-ゖァ-ヴー]{1,8}"
    r"(?:[ \u3000・+][一-龥々〆ヶ\U00020000-\U0003134F\uF900-\uFAFFぁ-ゖァ-ヴー]{1,8})?"
)


_KEY_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[^\x00-\x7f]+")
_PERSON_KEY_WORDS = frozenset("name kana furigana yomi shimei simei holder".split()) | _ROLE_HEADERS
# Role keys (driver, consignee…) hold names in Latin letters too; a bare name key in a CI
# file does not (name: Build Docker).
_LATIN_NAME_VALUE = re.compile(r"\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+){1,2}")
# Keys that name a thing: company_name, file_name, hostname, bucketName…
_THING_KEY_WORDS = frozenset(
    """
user file host app project bucket company corp org organization dept department shop store
product item service team group branch screen domain db table column class func function
event job task brand model plan category tag label key field city pref prefecture place
station building bank office site server cluster region zone image repo package module
""".split()
)


def _dictionary_words_only(tokens_by_start: dict[int, Token], start: int, end: int) -> bool:
    """Katakana common nouns of the dictionary, one after another, from start to end."""
    pos, seen = start, 0
    while pos < end:
        tok = tokens_by_start.get(pos)
        if tok is None or tok.end > end:
            return False
        if not (tok.is_common_noun and not tok.is_oov and not tok.is_person_name):
            return False
        pos, seen = tok.end, seen + 1
    return seen > 0


# Keys that hold one part of a name, or the whole of it: first_name, lastName, FAMILY_NAME,
# surname, full_name. A Latin value under one is a name (under a bare "name" key it may
# be a CI job: name: Build Docker).
_NAME_PART_WORDS = frozenset("first last given family middle sur fore full".split())
_NAME_PART_KEYS = frozenset(
    "surname forename firstname lastname givenname familyname fullname middlename".split()
)
_LATIN_PART_VALUE = re.compile(
    r"\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+){0,2}|\p{Lu}{2,}(?:[ -]\p{Lu}{2,}){0,2}"
)
# A value that stands in for a name in a form or a fixture.
_STAND_IN_VALUE = re.compile(r"テスト|サンプル|ダミー|ユーザ|ゲスト|未定|不明|なし|無し|名無|仮")
# Keys of the account that wrote or owns a record: user_name, author, created_by, sender.
_HANDLE_KEY_WORDS = frozenset(
    "user username author sender owner assignee reporter creator by login member".split()
)
_NOT_HANDLE_KEY_WORDS = frozenset(
    "id ids email mail agent type group team role count num no number host db database"
    " table key token password pass pw".split()
)
# Parts of an account name that make it a system's, not a person's.
_SYSTEM_HANDLE_PARTS = frozenset(
    """
app api bot svc service system sys admin root test ci cd deploy noreply no reply github
actions web db dev prod stg staging guest readonly ro rw read write batch job user users
default sample example demo dummy monitor backup cron worker runner
""".split()
)


@lru_cache(maxsize=1024)
def _key_words(key: str) -> frozenset[str]:
    """The words of a record key, lower-cased: customerName -> {customer, name} (once per
    key: every field of a record asks several of the checks below)."""
    return frozenset(w.lower() for w in _KEY_PART.findall(key))


def is_name_part_key(key: str) -> bool:
    """first_name, lastName, SURNAME, full_name: a key for (a part of) a person's name."""
    words = _key_words(key)
    if words & _THING_KEY_WORDS - {"user"}:
        return False
    return bool(words & _NAME_PART_KEYS) or ("name" in words and bool(words & _NAME_PART_WORDS))


# Keys of a product or an order line: their record's "name" is a thing's.
_PRODUCT_KEY = re.compile(
    r"[\"']?(?:sku|price|unit_?price|stock|qty|quantity|jan(?:_?code)?|item_?(?:id|code)"
    r"|product_?(?:id|code)|category|amount)[\"']?[ \t]*[:=]",
    re.IGNORECASE,
)


def _product_record(text: str, start: int, end: int) -> bool:
    """Whether the record (the braces or the line) around a value has product keys."""
    lo = max(text.rfind("{", 0, start), text.rfind("\n", 0, start))
    hi_brace, hi_line = text.find("}", end), text.find("\n", end)
    ends = [i for i in (hi_brace, hi_line) if i >= 0]
    hi = min(ends) if ends else len(text)
    return _PRODUCT_KEY.search(text, lo + 1, hi) is not None


def _compound_name_key(key: str) -> bool:
    """displayName, customer_name, author_name: "name" with another word (a bare "name"
    may be a CI job's: name: Build Docker)."""
    words = _key_words(key)
    return "name" in words and len(words) > 1 and not words & _THING_KEY_WORDS


def is_handle_key(key: str) -> bool:
    """user_name, author, created_by: the key of the account behind a record."""
    words = _key_words(key)
    return bool(words & _HANDLE_KEY_WORDS) and not words & _NOT_HANDLE_KEY_WORDS


def is_personal_handle(value: str) -> bool:
    """hayashi.ren, ogura_m, k-mori: an account name made of a person's name parts (two
    or more parts, letters in the first); not app_user, svc-batch01, github-actions."""
    if not value.islower() or re.fullmatch(HANDLE, value) is None:
        return False
    parts = re.split(r"[._\-]", value)
    return parts[0].isalpha() and not any(p in _SYSTEM_HANDLE_PARTS or p.isdigit() for p in parts)


def is_person_key(key: str) -> bool:
    """customer_name, nameKana, 氏名カナ: the key of a field that holds a person's name."""
    if is_name_header(key):
        return True
    words = _key_words(key)
    return bool(words & _PERSON_KEY_WORDS) and not words & _THING_KEY_WORDS


# A vCard: N:三国;隼人;;; and FN:三国 隼人 hold the name (in its own notation).
_VCARD_NAME = re.compile(r"^(?:N|FN)(?:;[^:\n]*)?:(?P<v>[^\n;][^\n]*?)[;\s]*$", re.MULTILINE)


def vcard_names(text: str, add: AddFn) -> None:
    if "BEGIN:VCARD" not in text:
        return
    for m in _VCARD_NAME.finditer(text):
        add(m.start("v"), m.end("v"), 0.8)


def field_names(text: str, add: AddFn, tokens_by_start: dict[int, Token] | None = None) -> None:
    """Values of a name key in a pasted record (name: "松本 由美", "kana": "マツモト ユミ"),
    when the value is written in Japanese script: ``name: Deploy`` in a CI file is a job."""
    for cell in tables.fields(text):
        value = text[cell.start : cell.end]
        if not is_person_key(cell.header):
            if is_handle_key(cell.header) and is_personal_handle(value):
                add(cell.start, cell.end, 0.7)  # "user_name":"hayashi.ren", author=k.mori
            continue
        if cell.header.lower() == "name" and _product_record(text, cell.start, cell.end):
            continue  # {"sku":"HS-0101","name":"有田焼 湯呑み","price":3300}: a product
        part = is_name_part_key(cell.header)
        if _LATIN_NAME_VALUE.fullmatch(value) and cell.header.lower() in _ROLE_HEADERS:
            if not _business_words(value):
                add(cell.start, cell.end, 0.7)  # "driver":"Sitorus Hendra"
            continue
        if (part or _compound_name_key(cell.header)) and _LATIN_PART_VALUE.fullmatch(value):
            if not _business_words(value):
                add(cell.start, cell.end, 0.75)  # "lastName": "Nakamura", FIRST_NAME=YUI
            continue
        if not _CJK_NAME_VALUE.fullmatch(value) or _UNIT.search(value):
            continue
        # name: "テストユーザー" — a value made only of dictionary words is a placeholder;
        # under first_name a word is a given name all the same (未来, 翼, 光).
        if (
            tokens_by_start is not None
            and (not part or _STAND_IN_VALUE.search(value))
            and _dictionary_words_only(tokens_by_start, cell.start, cell.end)
        ):
            continue
        if _CELL_TITLE_ONLY.fullmatch(value):
            continue  # 報告者：班長 猪俣 大輔 — the title, the name after it is the slot's
        add(*_without_titles(text, cell.start, cell.end), 0.75)


# -- chat logs and minutes ---------------------------------------------------------------
_NAME = r"[一-龥々〆ヶ\U00020000-\U0003134F\uF900-\uFAFFぁ-ゖァ-ヴー]{1,6}|\p{Lu}\p{Ll}{1,14}"
# [10:03] 柳: … / 10:03 柳： … / 柳 10:03 (Slack, Teams)
# The speaker line of a Teams or Slack paste: "Ishikawa, Naoki 10:01", "加藤 陽子 16:58",
# "James O'Connor 15:04".
_TEAMS_NAME = (
    r"\p{Lu}\p{Ll}+(?:['’-][A-Za-z]+)?,? \p{Lu}\p{Ll}+(?:['’-][A-Za-z]+)?"
    r"|[一-龥々〆ヶ]{1,4}[ \u3000][一-龥々〆ヶぁ-ゖ]{1,4}"
)
# A chat handle: yuki.m, kenta_dev, hiroki-ota (a separator in it, or it is no handle).
HANDLE = r"[A-Za-z][A-Za-z0-9]*(?:[._\-][A-Za-z0-9]+)+"
_SPEAKER = re.compile(
    # [10:03] 柳:, Mon 9:30 @Ito Haruka:, [10:02] yuki.m:, 14:21 みぃ🌸:, 【11:22】ラム（Lam）：,
    # [9/20 16:02] Rahul Mehta:, Yesterday at 23:41 — ぽんず(Ryota Inagaki):, [info]… 8:55 宮之原 隼人
    r"^[ \t]*(?:\[info\])?(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?[ \t]+|(?:Yesterday|Today) at[ \t]+)?"
    r"(?:[\[(（【]?(?:\d{1,4}/\d{1,2}(?:/\d{1,2})?[ \t]+)?\d{1,2}:\d{2}(?::\d{2})?[\])）】]?"
    r"[ \t]*(?:[—–-][ \t]*)?)@?(?P<n>"
    + _TEAMS_NAME
    + "|"
    + _NAME
    + r"|\p{Lu}\p{Ll}+,? \p{Lu}\p{Ll}+|"
    + HANDLE
    + r")[\p{So}\p{Sk}\uFE0F\u200D]{0,4}(?P<alias>[（(][^）)\n:：]{1,24}[）)])?"
    r"[ \t]*(?:[:：>]|\[/info\])"
    r"|^[ \t]*(?:\[info\][\d/ ]*)?(?P<m>"
    + _NAME
    + r"|"
    + _TEAMS_NAME
    # (Teams prints the speaker's department: Nakamura, Yuki (カスタマーサポート)  14:02)
    + r")(?:[ \t]*[（(][^）)\n:：]{1,20}[）)])?[ \t]+[\[(（]?\d{1,2}:\d{2}(?::\d{2})?"
    # 岡 08:46：番号… — the time, then the message after a colon; Maya Goldberg 9:41 AM
    r"(?:[ \t]?[AaPp]\.?[Mm]\.?)?[\])）]?[ \t]*(?:$|[:：])",
    re.MULTILINE,
)
# A speaker with a role in brackets: （担任）金城：…, [オペレーター：灰原] …, サポート「根本」: …
_ROLE_SPEAKER = re.compile(
    # (after a transcript's timestamp or a quote mark: [10:00:31] 話者2（呉）:, > 話者1（林）:)
    r"^[ \t]*(?:>[ \t]*)?(?:[\[(（]?\d{1,2}:\d{2}(?::\d{2})?[\])）]?[ \t]*)?"
    r"(?:[（(](?P<ra>[^）)\n]{1,10})[）)][ \t]*(?P<a>" + _NAME + r")[ \t]*[:：]"
    r"|[\[［](?P<rb>[^:：\]］\n]{1,10})[:：][ \t]*(?P<b>" + _NAME + r")[ \t]*[\]］]"
    r"|(?P<rc>[^「\n:：]{1,10})「(?P<c>" + _NAME + r")」[ \t]*[:：]"
    r"|(?P<re>[^（(\n:：]{1,10})[（(](?P<e>" + _NAME + r")[）)][ \t]*[:：])",
    re.MULTILINE,
)
# A chat handle or a bracketed name at the start of a line: kaori.nakai 14:02, @takumi …,
# [Alvarez, Diego] 9:43, ［吉川 大樹］お疲れ様です, Ryo Kanzaki — 今日 21:14
_HANDLE_SPEAKER = re.compile(
    r"^[ \t]*(?:@(?P<h>[A-Za-z][A-Za-z0-9]*(?:[._\-][A-Za-z0-9]+)*)(?=[ \t:：])"
    r"|(?P<d>[a-z][a-z0-9]*(?:[._][a-z0-9]+)+)(?=[ \t]+\d{1,2}:\d{2}[ \t]*$)"
    r"|[\[［](?P<b>\p{Lu}\p{Ll}+, \p{Lu}\p{Ll}+|[一-龥々〆ヶ]{1,4}[ \u3000][一-龥々〆ヶぁ-ゖ]{1,4})[\]］]"
    r"|(?P<e>\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+)(?=[ \t]+[—–-][ \t]+\S*[ \t]*\d{1,2}:\d{2}))",
    re.MULTILINE,
)
# Handles that are roles or bots, not people.
_NOT_HANDLES = frozenset("here channel everyone all bot admin support info team".split())
# The role in those brackets is a person's (担任, 保護者, オペレーター), not a note (注, 備考).
_PERSON_ROLE = re.compile(
    r"(?:者|員|様|任|師|長|主|客|担当|司会|記録|講師|生徒|先生|上司|部下|本人|家族|父|母|"
    r"オペレーター|スタッフ|サポート|ユーザー|お客様|受付|窓口|店舗)$"
)
# A speaker without a time: 志賀: …, when two or more lines of the text start that way.
_BARE_SPEAKER = re.compile(r"^[ \t]*(?P<n>" + _NAME + r")[ \t]*[:：][ \t]*\S", re.MULTILINE)
# A speaker in a dialogue: ほり: …, てっちゃん：…, Kevin: …, dev_yamashita: … — the
# message after it is prose (a space or a non-ASCII character in it), not a value.
_DIALOGUE_SPEAKER = re.compile(
    r"^[ \t]*(?P<n>[ぁ-ゖァ-ヴー]{2,8}|[A-Za-z][A-Za-z0-9]{1,15}(?:[._\-][A-Za-z0-9]+){0,2})"
    r"[ \t]*[:：][ \t]*(?P<msg>[^\n]*)",
    re.MULTILINE,
)
# A chat exported as a sheet: time, speaker (after a role: 不動産 くろき), message, by tabs.
_TSV_SPEAKER = re.compile(
    r"^[ \t]*(?:\d{4}[/-]\d{1,2}[/-]\d{1,2}[ \t]+)?\d{1,2}:\d{2}(?::\d{2})?\t"
    r"(?:[一-龥ァ-ヴー]{1,6}[ \u3000])?"
    r"(?P<n>[ぁ-ゖァ-ヴー]{2,8}|[一-龥々〆ヶ]{1,4}(?:[ \u3000][一-龥々〆ヶぁ-ゖ]{1,4})?"
    r"|[A-Za-z][A-Za-z0-9]{1,15}(?:[._\-][A-Za-z0-9]+){0,2})"
    r"\t(?P<msg>[^\t\n]*)$",
    re.MULTILINE,
)
_HIRAGANA_NAME = re.compile(r"[ぁ-ゖ]{2,8}")
_KANA = re.compile(r"[ぁ-ゖァ-ヴー]+")
# A speaker after a role or a function and a space: 課長 大橋：…, 営業 土井：…, 不動産 まえだ：…
_ROLE_NAME_SPEAKER = re.compile(
    r"^[ \t]*(?P<r>[一-龥ァ-ヴー]{1,6})[ \u3000](?P<n>[一-龥々〆ヶ]{1,4}|[ぁ-ゖ]{2,6}|[ァ-ヴ][ァ-ヴー]{1,8})"
    r"[ \t]*[:：]",
    re.MULTILINE,
)
_FUNCTIONS = frozenset(
    "営業 経理 総務 人事 広報 法務 開発 企画 事務 受付 窓口 会計 書記 理事 幹事 顧問 監事 司会 記録"
    " 不動産 設計 品証 製造 物流 購買 秘書 通訳 講師 医師 看護師 薬剤師 弁護士 税理士".split()
)
# A word that ends in a function or a unit is a department (経営企画, 情シス, 総務部).
_FUNCTION_END = re.compile(
    "(?:" + "|".join(sorted(_FUNCTIONS, key=len, reverse=True)) + r"|情シス|部|課|室|係|班|チーム)$"
)
# Roles that speak in transcripts: not people.
_SPEAKER_ROLES = frozenset(
    "user assistant system human ai bot gpt chatgpt claude customer agent operator op staff "
    "support admin host guest moderator interviewer interviewee caller me you q a".split()
)
# 林と郷が担当, 王、李が出席: people joined by と/、 who take a role verb.
_ROLE_VERB = (
    r"(?:担当|対応|出席|欠席|参加|同席|説明|報告|発表|司会|進行|訪問|作成|確認|連絡|調整|"
    r"同行|引き継|回答|承認|レビュー)"
)
_PEOPLE_WITH_ROLE = re.compile(
    r"(?<![一-龥々ァ-ヴー])(?P<a>[一-龥々]{1,3})(?:と|、|・)(?P<b>[一-龥々]{1,3})"
    r"(?:さん)?(?:が|は|も)" + _ROLE_VERB
)


_KANJI_WORD = re.compile(r"[一-龥々〆ヶ\U00020000-\U0003134F]{1,4}")


def _unknown_word(tokens_by_start: dict[int, Token], start: int, end: int) -> bool:
    tok = tokens_by_start.get(start)
    return (
        tok is not None
        and tok.end == end
        and (tok.is_oov or tok.is_proper_noun or tok.place_or_surname)
    )


def _name_like(tokens_by_start: dict[int, Token], text: str, start: int, end: int) -> bool:
    """One token Sudachi tags as a name, or a single kanji (林, 郷: surnames that are
    also words); 英語 and 営業 are neither."""
    tok = tokens_by_start.get(start)
    if tok is None or tok.end != end:
        return False
    return tok.is_person_name or end - start == 1


def speaker_names(
    text: str, tokens_by_start: dict[int, Token], not_names: frozenset[str], add: AddFn
) -> None:
    """The speaker of a chat log line, and people of a minutes line who take a role."""
    if ":" in text or "：" in text:
        for m in _SPEAKER.finditer(text):
            group = "n" if m.group("n") else "m"
            name = m.group(group)
            if name in not_names or _UNIT.search(name):
                continue
            if name.lower() in _SPEAKER_ROLES or name.lower() in _NOT_HANDLES:
                continue  # [10:02] System:, 09:00 bot:
            a, b = m.span(group)
            # 広報:, 経理: — a function, not a person; 柳:, 杉浦:, Ishikawa, Naoki are; a
            # word in kana is a nickname when it has an alias (ラム（Lam）：) or is hiragana
            # (あんず 8:05).
            tok = tokens_by_start.get(a)
            if not name.isascii() and b - a > 1 and tok is not None and tok.end == b:
                nickname = _HIRAGANA_NAME.fullmatch(name) is not None or (
                    group == "n" and m.group("alias") is not None and _KANA.fullmatch(name)
                )
                if tok.is_common_noun and not (tok.is_person_name or tok.is_oov or nickname):
                    continue
            add(a, b, 0.75)
    for m in _ROLE_SPEAKER.finditer(text):
        group = next(g for g in ("a", "b", "c", "e") if m.group(g))
        name = m.group(group)
        a, b = m.span(group)
        if (
            name not in not_names
            and name not in _BRACKET_NOTES
            and not _UNIT.search(name)
            and not (len(name) >= 3 and _PLACE_END.search(name))
        ):
            # （担任）金城：, サポート「根本」: after a person's role, a kanji word is a name.
            after_role = (
                _PERSON_ROLE.search(m.group("r" + group).strip()) is not None
                and _KANJI_WORD.fullmatch(name) is not None
            )
            if (
                after_role
                or _name_like(tokens_by_start, text, a, b)
                or _unknown_word(tokens_by_start, a, b)
            ):
                add(a, b, 0.7)
    for m in _HANDLE_SPEAKER.finditer(text):
        group = next(g for g in ("h", "d", "b", "e") if m.group(g))
        name = m.group(group)
        if name.lower() in _NOT_HANDLES or name in not_names or _UNIT.search(name):
            continue
        a, b = m.span(group)
        add(a, b, 0.7)
    bare = list(_BARE_SPEAKER.finditer(text))
    if len(bare) >= 2:
        # 志賀:, 大城: — a name Sudachi knows or does not know; 注意:, 結論: are words.
        # Steps:, Amount:, ヤマト運輸: — English headings and companies are no speakers.
        # A word that is also a surname (御手洗:, 黄:) speaks only beside a sure speaker:
        # 結果:, 内容: with no name among them are the headings of a form.
        sure: list[tuple[int, int]] = []
        maybe: list[tuple[int, int]] = []
        for m in bare:
            a, b = m.span("n")
            name = m.group("n")
            tok = tokens_by_start.get(a)
            if name in not_names or _UNIT.search(name) or name.isascii() or b - a > 4:
                continue
            if tok is None or tok.end != b:
                continue
            if (
                tok.is_person_name
                or tok.is_oov
                or (tok.place_or_surname and not tok.is_common_noun)
            ):
                sure.append((a, b))
            elif tok.place_or_surname:
                maybe.append((a, b))
        for a, b in sure + (maybe if sure else []):
            add(a, b, 0.7)
    _dialogue_speakers(text, tokens_by_start, not_names, add)
    if ":" in text or "：" in text:
        for m in _ROLE_NAME_SPEAKER.finditer(text):
            role, name = m.group("r"), m.group("n")
            if role not in _FUNCTIONS and _PERSON_ROLE.search(role) is None:
                continue
            if name in not_names or _UNIT.search(name) or _PERSON_ROLE.fullmatch(name):
                continue
            add(m.start("n"), m.end("n"), 0.7)
    for m in _PEOPLE_WITH_ROLE.finditer(text):
        if all(
            m.group(g) not in not_names and _name_like(tokens_by_start, text, *m.span(g))
            for g in ("a", "b")
        ):
            add(m.start("a"), m.end("a"), 0.6)
            add(m.start("b"), m.end("b"), 0.6)


# @shin_kawabe 在庫どう？, on-call は @naoki.s: a mention on a line that is Japanese chat,
# not an e-mail address (a word character before @), an npm scope (@types/node) or a
# decorator and CSS rule (@Override, @media: code lines hold no Japanese).
_MENTION = re.compile(
    r"(?<![\w@.+\-])@(?P<h>[A-Za-z][A-Za-z0-9]*(?:[._\-][A-Za-z0-9]+)*)(?![\w@/\-]|\.\w)"
)
_JAPANESE = re.compile(r"[ぁ-ゖァ-ヴ一-龥]")
_CAPITALISED = re.compile(r"(?<![A-Za-z])\p{Lu}\p{Ll}+(?![A-Za-z])")
_LATIN_PAIR = re.compile(r"(?<![A-Za-z])\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+(?![A-Za-z])")
_DOMAIN_LIKE = re.compile(r"\..*\.|\.(?:com|net|org|jp|io|co|dev|ai|app|info|biz)$", re.IGNORECASE)
# An account name after its label (LINE ID maimai_k0707, ユーザーID：k.matsuzaki) or in a
# URL's credentials (https://hiroki-ota:…@github.com).
_ACCOUNT_LABEL = re.compile(
    # (each alternative starts with its literal: an optional prefix, an ignore-case group or a
    # kanji class at the start made every position a start)
    r"(?:(?P<line>LINE)[ \t]*[（(]?[ \t]*ID|ユーザー ?ID|ユーザー名|ログイン ?ID|アカウント名"
    r"|(?:user|User|USER) ?(?:id|ID|Id|name|Name)|(?:login|Login|LOGIN) (?:id|ID)"
    r"|(?:user|User|USER)(?=[ \t]*:)"
    # 報告者：kaede.mizuno: a handle in a person's slot
    r"|(?<=[一-龥])者(?=[ \t\u3000]*[:：])|担当(?=[ \t\u3000]*[:：]))[ \t]*[:：]?[ \t]*"
    r"(?P<h>[A-Za-z][A-Za-z0-9]*(?:[._\-][A-Za-z0-9]+)*)(?![\w@])"
)
# What _ACCOUNT_LABEL cannot match without (most texts have none of them).
_ACCOUNT_WORDS = ("id", "ユーザー名", "アカウント名", "user", "者", "担当")
_EMAIL_LOCAL = re.compile(r"(?<![\w.+\-])(?P<local>[A-Za-z][\w.+\-]{1,40})@[\w\-]+\.[\w.\-]+")
_NAME_BEFORE_EMAIL = re.compile(
    r"(?<![A-Za-z])(?P<n>\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+){0,2})[ \t]*[（(<]?[ \t]*$"
)
_URL_USER = re.compile(r"://(?P<h>[A-Za-z][A-Za-z0-9]*(?:[._\-][A-Za-z0-9]+)*):[^@\s/]+@")


def _romaji_piece(handle: str) -> bool:
    """k.matsuzaki, kota_menya, maimai_k0707: a part of three letters or more made of
    Japanese syllables (admin01, app_user, test are not)."""
    return any(
        len(part) >= 3 and romanized.ROMAJI.fullmatch(part)
        for part in re.split(r"[._\-0-9]+", handle)
    )


def handles(text: str, add: AddFn) -> None:
    """People by their account names: chat mentions, LINE IDs, user IDs, URL users."""
    if "@" in text:
        for m in _MENTION.finditer(text):
            name = m.group("h")
            if name.lower() in _NOT_HANDLES or name.lower() in _SPEAKER_ROLES:
                continue
            if _DOMAIN_LIKE.search(name):
                continue  # ドメイン指定受信（@shop.example.jp）
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            line = text[line_start : len(text) if line_end < 0 else line_end]
            # • Rin Okamura (design) — @rin.okamura: the handle spells a name on its line
            pieces = {p for p in re.split(r"[._\-0-9]+", name.lower()) if len(p) >= 3}
            own = (m.start() - line_start, m.end() - line_start)
            named = [
                w
                for w in _CAPITALISED.finditer(line)
                if w.group().lower() in pieces and not own[0] <= w.start() < own[1]
            ]
            if named:
                add(m.start("h"), m.end("h"), 0.7)
                for w in _LATIN_PAIR.finditer(line):
                    if any(p.start() >= w.start() and p.end() <= w.end() for p in named):
                        add(line_start + w.start(), line_start + w.end(), 0.7)
                continue
            if name.islower() and name.isalpha() and not _romaji_piece(name):
                continue  # @oncall, @devops: a group; @tanaka, @Amelia are people
            if _JAPANESE.search(line):
                add(m.start("h"), m.end("h"), 0.7)
        for m in _EMAIL_LOCAL.finditer(text):
            # Also loop in Priya (priya.raman@…): a capitalised word right before an e-mail
            # address whose local part spells it
            pieces = {p for p in re.split(r"[._\-+0-9]+", m.group("local").lower()) if len(p) >= 3}
            before = _NAME_BEFORE_EMAIL.search(text, max(0, m.start() - 40), m.start())
            if before and pieces & {w.lower() for w in before.group("n").split()}:
                name = before.group("n")
                if not (name.split()[0] in _EN_NOT_FIRST or _business_words(name)):
                    add(before.start("n"), before.end("n"), 0.7)  # not Support (support@…)
        for m in _URL_USER.finditer(text):
            if _romaji_piece(m.group("h")):
                add(m.start("h"), m.end("h"), 0.65)
    lowered = text.lower()
    if not any(word in lowered for word in _ACCOUNT_WORDS):
        return
    for m in _ACCOUNT_LABEL.finditer(text):
        name = m.group("h")
        if name.lower() in _NOT_HANDLES or name.lower() in _SPEAKER_ROLES:
            continue
        if m.group("line") or _romaji_piece(name):
            add(m.start("h"), m.end("h"), 0.7)


# 人事の三輪（…）, 営業本部の栗林が担当, PMの甲斐、, 配車係 堀 042-…, 総務　ふくだ, 面接官 新田：
# a function, a department or a role, then (after の or a space) a surname that ends there.
# The words a role ends with; every role word below ends with one of them.
_ROLE_ENDS = (
    *sorted(_FUNCTIONS, key=len, reverse=True),
    *"情シス ヘルプデスク 部 課 室 係 班 官 医 本部 チーム グループ 担当 窓口 受付 デスク スタッフ".split(),
    *"PM PL PMO SV SE HR QA CS IT".split(),
    # a post before the name in a roster: 監査役 おおたけ, 書記長 てらだ, 理事長 久留米
    *"役 長".split(),
    # the people around someone: うちの boss の Michael, 奥さんの Naomi, 予約名は Bando
    *"boss 上司 部下 同僚 先輩 後輩 奥さん 奥様 妻 夫 旦那さん 主人 息子 娘 友人 友達 彼氏 彼女".split(),
    *"兄 弟 姉 妹 父 母 祖父 祖母 叔父 叔母 伯父 伯母 長男 次男 三男 長女 次女 三女 孫 義母 義父".split(),
    *"予約名 名義 宛名".split(),
)
_ROLE_WORD = (
    r"(?:" + "|".join(sorted(_FUNCTIONS, key=len, reverse=True)) + r"|情シス|ヘルプデスク"
    # (営業部, not 一部 or 全部: two characters at least before 部, 課, 室, 係, 班)
    r"|[一-龥ァ-ヴー]{2,8}(?:部|課|室|係|班)|[一-龥ァ-ヴー]{1,8}(?:官|医)"
    r"|[一-龥ァ-ヴー]{0,8}(?:本部|チーム|グループ|担当|窓口|受付|デスク|スタッフ)"
    r"|(?-i:PM|PL|PMO|SV|SE|HR|QA|CS|IT)|[一-龥]{1,6}(?:役|長)"
    r"|boss|上司|部下|同僚|先輩|後輩|奥さん|奥様|妻|夫|旦那さん|主人|息子|娘|友人|友達|彼氏|彼女"
    r"|兄|弟|姉|妹|父|母|祖父|祖母|叔父|叔母|伯父|伯母|長男|次男|三男|長女|次女|三女|孫|義母|義父"
    r"|予約名|名義|宛名)"
)
# A role's end and what joins it to the name (の, は, a space): the lines worth the pattern.
_ROLE_JOINT = stdlib_re.compile(
    "(?:" + "|".join(stdlib_re.escape(w) for w in _ROLE_ENDS) + ")(?:[ \u3000]|の|は)"
)
_ROLE_THEN_NAME = re.compile(
    r"(?:^|(?<=[\s（(【「・:：、,/→はがをにもでと]))(?P<r>"
    + _ROLE_WORD
    # (after a space, の or は joins only with a space after it too: 人事 はたの is a name)
    + r")(?:[ \u3000](?:(?:の|は)[ \u3000])?|(?:の|は)[ \u3000]?)"
    r"(?P<n>[一-龥々〆ヶ\U00020000-\U0003134F]{1,4}|[ぁ-ゖ]{2,6}|[ァ-ヴ][ァ-ヴー]{1,8}"
    r"|\p{Lu}\p{Ll}{1,14})"
    # (a number after the name only past a space: 配車係 堀 042-…, not チームはウィッチャー2)
    r"(?=[ \u3000]*(?:$|\n|[（(）)、,。:：]|(?:が|は|も|に|と|で|から|まで|より|です))"
    r"|[ \u3000]+[0-9+０-９])",
    re.MULTILINE,
)


def _role_matches(text: str) -> list[re.Match[str]]:
    found: dict[tuple[int, int], re.Match[str]] = {}
    for joint in _ROLE_JOINT.finditer(text):
        line_start = text.rfind("\n", 0, joint.start()) + 1
        for start in range(max(line_start, joint.end() - _ROLE_REACH), joint.end()):
            m = _ROLE_THEN_NAME.match(text, start)
            if m is not None and joint.start() < m.end("r") <= joint.end():
                found.setdefault(m.span("n"), m)
                break  # the leftmost start of this joint's role, as a scan would take
    return list(found.values())


_ROLE_REACH = 13  # the longest role word (10) and its joint
_NUMBER_AFTER = re.compile(r"[ \u3000]+[0-9０-９+]")


def role_names(
    text: str, tokens_by_start: dict[int, Token], not_names: frozenset[str], add: AddFn
) -> None:
    """The person a function or a department points at: 人事の三輪, 配車係 堀, 総務 ふくだ.
    Tried only where a role's end and a joint stand (a role word is at most ten characters,
    so it starts in the few before), not at every character of the text."""
    for m in _role_matches(text):
        start, end = m.span("n")
        name = m.group("n")
        if name in not_names or _UNIT.search(name) or _PERSON_ROLE.search(name):
            continue
        if name.isascii():
            if name in _NOT_NAME_WORDS or name in LATIN_ORGANISATION_WORDS:
                continue
            add(start, end, 0.65)  # （担当 Lee）, assignee Oduya
            continue
        tok = tokens_by_start.get(start)
        if _HIRAGANA_NAME.fullmatch(name):
            # 総務　ふくだ: a hiragana name ends its line, its bracket or its list item, or
            # a phone number follows (管理担当 ほそかわ 075-…); one word of the dictionary
            # (人事の ため) is no name.
            after = text[end : end + 1]
            spaced_number = after in (" ", "\u3000") and _NUMBER_AFTER.match(text, end)
            if after in ("", "\n", "）", ")", "、", ",", "，", "（", "(") or spaced_number:
                if tok is None or tok.end != end or tok.is_person_name or tok.is_oov:
                    add(start, end, 0.65)
            continue
        if tok is not None and tok.end == end:
            if (
                tok.is_person_name
                or tok.is_oov
                or tok.place_or_surname
                or (tok.is_proper_noun and tok.pos[2:3] != ("地名",))
            ):
                add(start, end, 0.7)
        elif tok is not None and _kanji_by_kanji(tokens_by_start, start, end):
            add(start, end, 0.65)  # 人事の三輪 (三|輪)


_SELF_SPEAKER = re.compile(r"^[ \t]*(?:私|わたし|僕|ぼく|俺|自分|うち)[ \t]*[:：]", re.MULTILINE)


# Notes a transcript puts in brackets after a speaker: 話者1（注）, 話者2（不明）
_BRACKET_NOTES = frozenset(
    "注 備考 仮 不明 未定 略 笑 済 未 音声 無音 雑音 聞き取れず 同上".split()
)


def _dialogue_speakers(
    text: str, tokens_by_start: dict[int, Token], not_names: frozenset[str], add: AddFn
) -> None:
    """Speakers in kana or Latin letters (ほり:, Kevin:, dev_yamashita:) when the text is a
    dialogue: some speaker speaks twice and there are two or more of them (the writer's
    私： counts), or four and more speak once each. Headings of a form (件名:, Note:) and
    keys of a config (host: db01) do not take turns in prose."""
    turns = [m for m in _DIALOGUE_SPEAKER.finditer(text) if m.group("msg").strip()]
    if "\t" in text:
        turns += [m for m in _TSV_SPEAKER.finditer(text) if m.group("msg").strip()]
    prose = [m for m in turns if " " in m.group("msg").strip() or not m.group("msg").isascii()]
    counts = Counter(m.group("n") for m in turns)
    kana = [n for n in counts if not n.isascii()]  # (Date:, Venue:, Price: head a form)
    # The writer's own turns (私：…) make a two-sided dialogue of one kana speaker.
    own = len(_SELF_SPEAKER.findall(text)) if kana else 0
    if len(turns) + own < 3 or len(prose) < 2:
        return
    speakers = len(counts) + (1 if own else 0)
    # Someone speaks twice; or four and more kana speakers take a turn each (a group chat).
    if speakers < 2 or (max(counts.values()) < 2 and len(kana) < 4):
        return
    for m in turns:
        name = m.group("n")
        a, b = m.span("n")
        if name.lower() in _SPEAKER_ROLES or name.lower() in _NOT_HANDLES or name in not_names:
            continue
        if name.isascii() and (_business_words(name) or name.isupper() and len(name) <= 3):
            continue  # Sales:, FAQ:, HR:
        tok = tokens_by_start.get(a)
        if (
            not name.isascii()
            and _HIRAGANA_NAME.fullmatch(name) is None  # nicknames: くぼ, ほり
            and tok is not None
            and tok.end == b
            and tok.is_common_noun
            and not (tok.is_person_name or tok.is_oov or tok.is_joined_katakana)
        ):
            continue  # メモ:, ユーザー: — words, not names
        add(a, b, 0.65)


# 営業部の片桐 亮です / 有村 ひかりと申します: a signature or a self-introduction. The ending is
# found first and the name looked for in the few characters before it (a pattern that
# starts at every の and は of a text cost 0.27 ms per 1,000 characters).
_SELF_INTRO_END = re.compile(r"[ \u3000]?(?:です|と申します|でございます)(?=[。、\s!！]|$)")
_SELF_INTRO_NAME = re.compile(
    # (「荒巻です。: the first words of a quoted message; …の 熊毛 です: spaced)
    r"(?:(?<=の)|(?<=は)|(?<=、)|(?<=私)|(?<=いる)|(?<=した)|(?<=「)|(?m:^))[ \u3000]?"
    r"(?P<n>[一-龥々〆ヶ\U00020000-\U0003134F]{1,4}[ \u3000][一-龥々〆ヶぁ-ゖァ-ヴー]{1,4}"
    r"|[一-龥々〆ヶ\U00020000-\U0003134Fァ-ヴー]{1,8}"
    # タイ在住の Siriporn Chaiyaporn です
    r"|\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+){1,2})$"
)
_SELF_INTRO_REACH = 40  # the longest name (a Latin one) and the space before it


_HONORIFIC_END = re.compile(r"(?:様|さま|さん|氏|殿|君|くん|ちゃん)$")


def self_introductions(
    text: str, tokens_by_start: dict[int, Token], not_names: frozenset[str], add: AddFn
) -> None:
    """The name in "…の樋口 大地です" / "片桐と申します"; a one-word name only when Sudachi
    knows it as a name or a proper noun, or does not know it at all (この件の確認です is no name)."""
    if "です" not in text and "申します" not in text:
        return
    for ending in _SELF_INTRO_END.finditer(text):
        m = _SELF_INTRO_NAME.search(
            text, max(0, ending.start() - _SELF_INTRO_REACH), ending.start()
        )
        if m is None:
            continue
        start, end = m.span("n")
        name = m.group("n")
        if name in not_names or _UNIT.search(name) or _HONORIFIC_END.search(name):
            continue  # 髙橋 由美子様です: the honorific rules have it
        if " " in name or "\u3000" in name:
            add(start, end, 0.75)
            continue
        tok = tokens_by_start.get(start)
        if (
            tok is not None
            and tok.end == end
            and (tok.is_person_name or tok.is_oov or (tok.place_or_surname and end - start >= 2))
        ):
            if (
                tok.is_common_noun
                and not tok.is_person_name
                and "です" in ending.group()
                and text[start - 1 : start] == "の"
                and not _UNIT.search(text, max(0, start - 9), start - 1)  # (units end it)
            ):
                continue  # 業績報告の文章です, not 経理部の白鳥です: a word that is a surname too
            add(start, end, 0.7)  # 荒巻です: a word that is a surname too (not 森です)


# 被害者：久高 ナビィ（…）, 母：宮城 ジェニファー, 記録者：ヌルラン・アバイ, 担当医：木場:
# a label that names a person's role in a form, then the name, then the end of the slot.
_ROLE_LABELS = (
    "氏名 被保険者 被扶養者 被害者 加害者 申込者 申請者 申告者 候補者 応募者 記録者 作成者 報告者"
    " 担当者 担当医 主治医 担任 園児 児童 生徒 患者 利用者 対象者 依頼者 相談者 行為者 契約者"
    " 借主 貸主 賃借人 賃貸人 保証人 連帯保証人 相続人 被相続人 代理人 受取人 差出人 入居者"
    " 配偶者 父 母 妻 夫 長男 次男 三男 長女 次女 三女 祖父 祖母 面接官 評価者 被評価者 承認者"
    " 起票者 運転者 同乗者 講師 発表者 回答者 記入者 責任者 管理者 管理人 代表者 施主 依頼主"
    " 名義人 世帯主 被用者 従業員 社員 本人 利用者様 お客様 顧客 会員 生徒名 児童名 担当 対象"
    " 上長 上司 部下 一次面接 二次面接 最終面接 面談者 相手方 通知人 被通知人 原告 被告 遺言者"
    " 宛名 入居者 扶養者 利用者名 患者名 受診者 受検者"
).split()
_RELATION = r"(?:(?:父|母|妻|夫|長男|次男|長女|次女|子|祖父|祖母|義父|義母)[ \u3000])?"
_DEPARTMENT = r"(?:[一-龥ァ-ヴー]{1,10}(?:部|課|室|係|局|班|科|チーム|グループ)[ \u3000])?"
_SLOT_NAME = (
    r"[一-龥々〆ヶ\U00020000-\U0003134F]{1,4}[ \u3000]"
    r"(?:[一-龥々〆ヶ]{1,3}|[ぁ-ゖ]{2,5}|[ァ-ヴ][ァ-ヴー]{1,6})"
    r"|[ァ-ヴ][ァ-ヴー]{1,10}(?:[・=＝ \u3000][ァ-ヴ][ァ-ヴー]{1,10})+"
    r"|[一-龥々〆ヶ\U00020000-\U0003134F]{1,4}"
)
# 発行者：, 承認者：, presenter: — any word for a person who does something, as a label
# (spelled out in each case: an ignore-case group made every position a start, 2.5x the time)
_DOER_WORDS = (
    "|".join(
        variant
        for word in (
            "presenter speaker owner assignee reviewer approver author requester reporter contact"
            " organizer organiser facilitator moderator"
        ).split()
        for variant in (word, word.title(), word.upper())
    )
    + "|PIC|in charge|In charge|In Charge"
)
_ROLE_LABEL_ALTERNATION = "|".join(sorted(_ROLE_LABELS, key=len, reverse=True))
# After the label and its colon: a relation, a department, the name, then the end of the
# slot (or where the next field of the form starts: 氏名：久保寺 ゆいな　出生日：…).
_SLOT_AFTER_COLON = (
    _RELATION
    + _DEPARTMENT
    + r"(?P<n>"
    + _SLOT_NAME
    + r")(?=[ \t\u3000]*(?:[（(、,，\n）)]|$|様|さん|殿|氏)|[ \t\u3000]+[\x21-\x7e（(のはが]"
    r"|[ \t\u3000]+[^\s:：]{1,8}[:：])"
)
_LABELLED_SLOT = re.compile(
    r"(?:^|(?<=[\s（(【「・\[の]))(?:"  # (子の氏名：)
    + _DOER_WORDS
    + "|"
    + _ROLE_LABEL_ALTERNATION
    # 氏名：… or, at the start of a line, 氏名　… (a form laid out with spaces)
    + r")(?:[ \t\u3000]*[:：][ \t\u3000]*|(?<=^[^\S\n]*(?:"
    + _ROLE_LABEL_ALTERNATION
    + r"))[ \t\u3000]+)"
    + _SLOT_AFTER_COLON
    # （発行者：情シス 能勢）: a department or a team of any name, then the name, in brackets
    # (the bracket is matched, not looked behind for: a lookbehind is tried everywhere)
    + r"|[（(](?:[一-龥]{1,4}者|"
    + _DOER_WORDS
    + "|"
    + _ROLE_LABEL_ALTERNATION
    + r")[ \t\u3000]*[:：][ \t\u3000]*[一-龥ァ-ヴー]{2,8}[ \u3000](?P<d>[一-龥々〆ヶ]{1,4})(?=[）)])",
    re.MULTILINE,
)
# Any …者 word as a label (発行者：, 記入者：): found from its 者 and colon, which is fast;
# a kanji class among the labels above made every position a start (8x the time).
_DOER_SLOT = re.compile(
    # (and the professions: 産業医：, 面接官：, 看護師：)
    r"(?<=(?:^|[\s（(【「・\[の])[一-龥]{1,4})(?:者|医|官|師)[ \t\u3000]*[:：][ \t\u3000]*"
    + _SLOT_AFTER_COLON,
    re.MULTILINE,
)


def _kanji_by_kanji(tokens_by_start: dict[int, Token], start: int, end: int) -> bool:
    """Sudachi cut [start, end) into one-character tokens (三|国): no word it knows."""
    pos = start
    while pos < end:
        tok = tokens_by_start.get(pos)
        if tok is None or tok.end - tok.start != 1:
            return False
        pos = tok.end
    return True


def labelled_slots(
    text: str, tokens_by_start: dict[int, Token], not_names: frozenset[str], add: AddFn
) -> None:
    """The name in a form slot whose label is a person's role (被害者：, 母：, 担当医：)."""
    for m in itertools.chain(_LABELLED_SLOT.finditer(text), _DOER_SLOT.finditer(text)):
        group = "n" if m.group("n") else "d"
        start, end = m.span(group)
        name = m.group(group)
        if name in not_names or _UNIT.search(name):
            continue
        if " " in name or "\u3000" in name or "・" in name:
            first = tokens_by_start.get(start)
            gap = start + len(re.split(r"[ \u3000・]", name, maxsplit=1)[0])
            if (
                first is not None
                and first.end == gap
                and first.is_common_noun
                and not (
                    first.is_person_name
                    or first.is_oov
                    or first.place_or_surname
                    or first.is_joined_katakana
                )
                and _KANJI_WORD.fullmatch(text, gap + 1, end)
                and _FUNCTION_END.search(text, start, gap)
            ):
                start = gap + 1  # presenter：経営企画 大嶋: a department, then the name
            add(start, end, 0.7)
            continue
        # One word: a name when Sudachi knows it as one, or does not know it at all.
        tok = tokens_by_start.get(start)
        if tok is not None and tok.end == end and (tok.is_person_name or tok.is_oov):
            add(start, end, 0.7)
        elif (
            tok is not None and tok.end == end and (not tok.is_common_noun or tok.place_or_surname)
        ):
            add(start, end, 0.7)  # 担当医：木場, 担当：小川 (words that are surnames too)
        elif tok is not None and tok.end < end and _kanji_by_kanji(tokens_by_start, start, end):
            add(start, end, 0.65)  # 担当：三国 (三|国): a name Sudachi reads kanji by kanji


# 出席：松岡部長、平田課長、小西、Tran Van Duc、森川（記録） — the people of a list label.
_LIST_LABEL = re.compile(
    r"(?m)(?:出席者|出席|欠席者|欠席|参加者|参加|同席者|同席|同行者|同行|先方|当方|会社側|組合側|"
    r"委員|出席委員|審査員|選考委員|メンバー|参加メンバー|構成員|宛先|"
    r"面接官|立会人|来訪者|訪問者|Attendees|Participants|Present|Absent|Interviewers?|Members|"
    r"Panel|Cc|CC)[ \t\u3000]*[:：][ \t\u3000]*"
    r"(?P<list>[^\n]{1,200})"
)
_KATAKANA_ITEM = re.compile(r"[ァ-ヴ][ァ-ヴー]{1,7}")
_BRACKET_NOTE = re.compile(r"[（(][^）)\n]{1,30}[）)]")
_LIST_SPLIT = re.compile(r"[、,，/／・]|(?<=[^\sA-Za-z])と(?=[^\sA-Za-z])")
_ITEM_TAIL = re.compile(
    r"(?:[（(][^）)]{0,20}[）)]|[ \u3000]*(?:様|さん|氏|君|殿|部長|課長|係長|社長|専務|常務|"
    r"取締役|主任|室長|支店長|所長|店長|執行委員長|委員長|議長|マネージャー|リーダー|"
    r"Mr\.|Ms\.|Dr\.))+$"
)
_ITEM_NAME = re.compile(
    r"[一-龥々〆ヶ\U00020000-\U0003134F]{1,4}(?:[ \u3000][一-龥々〆ヶぁ-ゖ]{1,4})?"
    r"|[ァ-ヴー]{2,10}(?:[・ \u3000][ァ-ヴー]{2,10})*"
    r"|\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+){1,3}"
    r"|(?:[A-Z]\. ?){1,2}\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?"
    r"|\p{Lu}\p{Ll}{2,14}"
)


def listed_people(text: str, tokens: list[Token], not_names: frozenset[str], add: AddFn) -> None:
    """The names after a list label (出席：, 先方：, Attendees:), titles and notes dropped."""
    if ":" not in text and "：" not in text:
        return
    for m in _LIST_LABEL.finditer(text):
        base = m.start("list")
        pos = 0
        body = m.group("list")
        named = 0
        units = 0
        found: list[tuple[int, int]] = []
        others: list[tuple[int, int]] = []
        # (a note in brackets keeps its commas: 森（理事長、501号室）、千葉（…）)
        masked = _BRACKET_NOTE.sub(
            lambda b: b.group().replace("、", "\x00").replace(",", "\x01"), body
        )
        for masked_piece in [*_LIST_SPLIT.split(masked)]:
            start = masked.find(masked_piece, pos)
            pos = start + len(masked_piece)
            piece = body[start:pos]
            item = piece.strip(" \t\u3000")
            lead = piece.find(item)
            tail = _ITEM_TAIL.search(item)
            name = item[: tail.start()].rstrip(" \t\u3000") if tail else item
            # A role word before the name (人事部長 瀧本, 管理本部長 久留米 弘): drop it.
            if " " in name or "\u3000" in name:
                words = re.split(r"[ \u3000]+", name)
                if (
                    _UNIT.search(words[0])
                    or _ITEM_TAIL.search(words[0])
                    or _ROLE_END.search(words[0])
                ):
                    name = name[len(words[0]) :].strip(" \u3000")
            offset = item.find(name)
            if _UNIT.search(name) or (name.isascii() and _business_words(name)):
                units += 1
                continue  # Participants: Sales, Marketing, Customer Success; 営業1課
            if not name or not _ITEM_NAME.fullmatch(name) or name in not_names:
                continue
            a = base + start + lead + offset
            if _looks_like_a_name(text, a, a + len(name), tokens):
                found.append((a, a + len(name)))
            elif _KANJI_WORD.fullmatch(name) or _KATAKANA_ITEM.fullmatch(name):
                others.append((a, a + len(name)))
        if units >= 2 and units >= len(found) + len(others):
            # 参加：営業1課、営業2課、マーケ — a list of groups: its katakana word is one too
            found = [(a, b) for a, b in found if _KATAKANA_ITEM.fullmatch(text, a, b) is None]
            others = []
        named = len(found)
        for a, b in found:
            add(a, b, 0.7)
        # 委員：河内、平良、有働 — the label says these are people: once one item is a
        # name, the other kanji words of the list are names too (河内, 浅葱 are words).
        if named and len(others) < 2 * named + 2:
            for a, b in others:
                add(a, b, 0.6)


# Business functions, groups and places that fill a list of participants in English.
_BUSINESS_WORDS = frozenset(
    """
sales marketing engineering finance legal hr it support operations product design management
admin accounting procurement quality research development customer customers success service
services regional managers manager staff team teams all everyone partners vendors guests board
members executives directors leadership tokyo osaka japan asia europe us uk apac emea global
local hq headquarters office branch dept department group division unit tbd none
""".split()
)


_ROLE_END = re.compile(r"(?:長|役|員|者|担当|主任|代表)$")


def _business_words(name: str) -> bool:
    return any(w.lower() in _BUSINESS_WORDS or w in LATIN_ORGANISATION_WORDS for w in name.split())


def _looks_like_a_name(text: str, start: int, end: int, tokens: list[Token]) -> bool:
    """An item of a people list: a full name, a word Sudachi tags as a name (or a place
    that is also a surname), a word it does not know, or one kanji (林); not 製造, 開発,
    オブザーバー."""
    value = text[start:end]
    if " " in value or "\u3000" in value or value.isascii() or end - start == 1:
        return True
    inner = tokens_within(tokens, start, end)
    return bool(inner) and all(
        t.is_person_name
        or t.is_oov
        or t.place_or_surname
        or (t.is_proper_noun and not t.is_common_noun)
        for t in inner
    )


# -- English and mixed text --------------------------------------------------------------
_EN_NAME = r"\p{Lu}(?:['’]\p{Lu})?\p{Ll}+(?:['’][A-Za-z]+|-(?!(?:san|sama|kun|chan|sensei)(?![a-z]))[A-Za-z]+)?"
_EN_FULL = _EN_NAME + r"(?: (?:[A-Z]\. )?" + _EN_NAME + r"){0,3}"
# DANIEL GARCIA, THOMAS WEBER: a name in capitals, as on forms and cards (two to three words).
_EN_CAPS = r"[A-Z][A-Z'’-]{1,14}(?: [A-Z][A-Z'’-]{1,14}){1,2}(?![A-Za-z])"
_EN_RULES = (
    # Mr. Lindqvist, Ms Fujii, Dr. Ana Costa
    (re.compile(r"(?<![A-Za-z])(?:Mr|Ms|Mrs|Miss|Dr|Prof)\.? (?P<n>" + _EN_FULL + ")"), 0.75),
    # Invitee: Rahul Venkataraman / Reported by: Nakajima, Emi
    (
        re.compile(
            r"(?:^|(?<=[\s(（]))(?:invitee|employee|candidate|applicant|interviewers?|reporter|"
            r"reported by|beneficiary|assignee|guest|passenger|customer|contact|cc|bcc|"
            r"to|from|attendees|participants|requested by|prepared by|approved by|signed by|"
            r"account holder|full name|customer name|contact name|(?-i:Name|NAME)|lead|new hire|hire|"
            r"consignee|shipper|recipient|sender|owner|holder|member|members|staff|driver|"
            r"patient|tenant|client|student|speaker|host|presenter|manager|supervisor|sv|pm|"
            r"agent|buyer|seller|guarantor|spouse|dependent|emergency contact|cardholder|"
            r"cardholder name|card holder|name on card|counsel|local counsel|negotiator|"
            r"lead negotiator|claimant|insured|policyholder|tenant name|guest name|"
            r"passenger name|traveler|traveller|ordered by|billed to|ship to|deliver to)"
            r"[ \t]?:[ \t]?(?-i:(?P<n>" + _EN_CAPS + "|" + _EN_NAME + r"(?:, " + _EN_NAME + ")?"
            r"(?: (?:[A-Z]\. )?" + _EN_NAME + r"){0,3}))(?![A-Za-z])",
            re.IGNORECASE | re.MULTILINE,
        ),
        0.7,
    ),
    # my colleague Priya Sharma / represented by Anna Kowalski / Our CFO Kaori Kobayashi
    (
        re.compile(
            r"(?:^|(?<=[\s(]))(?i:colleague|co-worker|coworker|boss|manager|supervisor|"
            r"represented by|introduced by|referred by|signed by|c/o|attention of|attn\.?|"
            r"CEO|CFO|CTO|COO|CIO|CHRO|VP|president|founder|director|recruiter|engineer|"
            r"consultant|lawyer|attorney|doctor|nurse|teacher|student|intern|hire)"
            r",?[ \t](?P<n>" + _EN_NAME + r"(?: (?:[A-Z]\. )?" + _EN_NAME + r"){1,2})"
            r"(?=[,.;:!?)\s]|$)"
        ),
        0.65,
    ),
    # Best regards,\nJames O'Connor — a sign-off, then the name on the next line.
    (
        re.compile(
            r"(?m)^(?:Best regards|Kind regards|Warm regards|Regards|Best|Thanks|Thank you|"
            r"Sincerely|Sincerely yours|Yours sincerely|Cheers|Many thanks),?[ \t]*\n"
            r"(?P<n>" + _EN_NAME + r"(?: (?:[A-Z]\. )?" + _EN_NAME + r"){0,2}|" + _EN_CAPS + ")"
            r"[ \t]*(?:[/|｜,][^\n]*)?$"
        ),
        0.7,
    ),
    # Dear Brandon, / Hi Jennifer-san / Thanks, Kohei / — Marcus
    (
        re.compile(
            r"(?m)(?:^|(?<=[\s\"“]))(?:(?i:dear|hi|hello|hey|thanks|thank you|thx|regards|best|"
            r"cheers)|—|--|(?<=(?i:thx|thanks|cheers|regards),? )-)"
            r",?[ \t](?P<n>" + _EN_FULL + r")(?=[,.!\s\"”]|-san|$)"
        ),
        0.65,
    ),
    # Nguyen様, Smithさん: a Latin name with a Japanese honorific
    (re.compile(r"(?<![A-Za-z])(?P<n>" + _EN_FULL + r")[ \t]?(?:様|さま|さん|氏|殿)"), 0.75),
    # P<JPNMORISHITA<<KAEDE<<<: the name field of a passport's machine-readable zone
    (re.compile(r"P<[A-Z]{3}(?P<n>[A-Z]{1,30}<<[A-Z]{1,30}(?:<[A-Z]{1,30})*)"), 0.8),
    # Miller-san, Fukuda-san
    (
        re.compile(r"(?<![A-Za-z])(?P<n>" + _EN_NAME + r")-(?:san|sama|kun|chan|sensei)(?![a-z])"),
        0.75,
    ),
    # I'm Arjun Nair from Bengaluru / My name is Lucia Ferreira: a name of two words or more
    (
        re.compile(
            r"(?<![A-Za-z])(?:I'm|I’m|I am|My name is|my name is)[ \t](?P<n>"
            + _EN_NAME
            + r"(?: (?:[A-Z]\. )?"
            + _EN_NAME
            + r"){1,2})(?=[,.;:!?)\s]|$)"
        ),
        0.7,
    ),
)
# Words in capitals that fill a field but are no name.
_EN_NOT_NAMES_CAPS = frozenset(
    "API KEY KEYS TOKEN URL ID SECRET PASSWORD USER USERS ADMIN ROOT TEST PROD DEV STAGING NULL "
    "NONE TRUE FALSE TBD TBA YES NO OK NA N/A UNKNOWN DEFAULT SAMPLE EXAMPLE DUMMY ALL TEAM "
    "SALES SUPPORT INFO HR IT DEPT OFFICE CORP INC LTD LLC CO JAPAN TOKYO OSAKA".split()
)


def filler_words(value: str) -> bool:
    """A field filled with words that are no name (API KEY, TBD, N/A)."""
    return any(w.isupper() and w in _EN_NOT_NAMES_CAPS for w in value.split())


# Capitalised words that open or join English sentences, never part of a name.
_NOT_NAME_WORDS = frozenset(
    """
The A An And Or Of To In On At For From With By Dear Hi Hello Thanks Thank Best Regards Please
Mr Mrs Ms Dr Prof Sir Madam Team Cc Bcc Re Fw Fwd Subject Date Tel Fax Phone Email Mail
Mobile Name Attn Note Contact Customer Manager Director Sales Inc Ltd Co Corp LLC Japan Tokyo
Osaka I We You He She They It This That Our Your My Mon Tue Wed Thu Fri Sat Sun
""".split()
)
# What ends a name found in English text (Dear Sales Team); a name does not start with
# these or with a word that opens a sentence (— Our company).
_EN_NOT_NAMES = frozenset(
    "All Team Everyone Sir Madam Customer Customers Support Sales There Guys Folks The This "
    "That Team's Regards Best Thanks Hi Hello Dear Mr Ms Mrs Miss Dr Prof".split()
)
_EN_NOT_FIRST = _EN_NOT_NAMES | _NOT_NAME_WORDS


_EN_WORD_SPLIT = re.compile(r"[\s,]+")


def english_names(text: str, add: AddFn) -> None:
    """Names in English mail and forms: after a title, a field label, a greeting or a
    sign-off, or before -san."""
    if not any(c.isascii() and c.isupper() for c in text[:20_000]):
        return
    for pattern, score in _EN_RULES:
        for m in pattern.finditer(text):
            name = m.group("n")
            words = [w for w in _EN_WORD_SPLIT.split(name) if w]
            while words and words[-1].rstrip(".") in _EN_NOT_NAMES:
                words.pop()
            if not words or words[0] in _EN_NOT_FIRST:
                continue
            if any(w.isupper() and w in _EN_NOT_NAMES_CAPS for w in words):
                continue  # Name: API KEY, Owner: TBD
            if _business_words(" ".join(words)):
                continue  # Regards, Finance / Northwind Components Ltd
            start = m.start("n")
            end = start + len(name)
            last = words[-1]
            end = text.rfind(last, start, end) + len(last)
            add(start, end, score)


_TRANSFER_RECORD = re.compile(tables.TRANSFER_RECORD)


def transfer_holders(text: str, add: AddFn) -> None:
    """The account holder's name in a pasted 全銀 transfer file (0009,123,1,0482219,ｱｵﾔｷﾞ ﾀﾂﾔ,…);
    a holder with brackets (ｶ)ﾐﾄﾞﾘﾔ) is a company."""
    if "," not in text:
        return
    for m in _TRANSFER_RECORD.finditer(text):
        if not any(c in "()（）" for c in m.group("holder")):
            add(m.start("holder"), m.end("holder"), 0.75)


# -- name memory -----------------------------------------------------------------------
_WORD_CHAR = re.compile(r"[一-龥々〆ヶァ-ヴーA-Za-z\U00020000-\U0003134F\uF900-\uFAFF]")


def _standalone(text: str, start: int, end: int) -> bool:
    """Not inside a longer word: 林 in 林さん, not in 小林 or 林業."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return not (before and _WORD_CHAR.match(before)) and not (after and _WORD_CHAR.match(after))


_NAME_PARTS = re.compile(r"[ \u3000・,]+")
# Parts that are words in their own right, never remembered alone.
_MEMORY_STOP = frozenset(
    "mr ms mrs dr van von de da di le la el al bin ibn thi san jr sr ii iii".split()
)


def remembered(text: str, names: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every other standalone occurrence of a name the text has already shown, and of each
    part of a full name (久留米 弘 … 久留米：, Sanjay Patel … Sanjay) of two letters or more."""
    seen = {text[a:b] for a, b in names if b - a >= 1}
    for value in list(seen):
        parts = [p for p in _NAME_PARTS.split(value) if p]
        if len(parts) > 1:
            seen.update(p for p in parts if len(p) >= 2 and p.lower() not in _MEMORY_STOP)
    out: list[tuple[int, int]] = []
    taken = set(names)
    for value in seen:
        if not value.strip() or (len(value) == 1 and not _WORD_CHAR.match(value)):
            continue
        pos = text.find(value)
        while pos != -1:
            span = (pos, pos + len(value))
            if span not in taken and _standalone(text, *span):
                out.append(span)
            pos = text.find(value, pos + 1)
    return out


# -- what is not a name ------------------------------------------------------------------
# Head nouns of organisations, teams, venues and products written in katakana: a ・ chain
# ending in one is not a person (リオ・ティント・グループ, アイミア・ホテル).
ORGANISATION_HEADS = frozenset(
    """
ホテル グループ コーポレーション カンパニー ホールディングス ホールディング エンタテインメント
エンターテインメント アニメーション プロダクション プロダクションズ スタジオ スタジオズ クラブ リーグ
ユナイテッド シティ センター スタジアム アリーナ パーク ガーデン タワー ビル ビルディング
レコード レコーズ ミュージック メディア ネットワーク ネットワークス システム システムズ テクノロジー
テクノロジーズ ソリューション ソリューションズ サービス サービシズ インターナショナル ジャパン
バンク ファンド キャピタル パートナーズ アソシエイツ ラボ ラボラトリーズ ファーマ モーターズ
エアライン エアラインズ 航空 鉄道 バンド オーケストラ フィルハーモニー 管弦楽団 合唱団 劇団
カップ トロフィー グランプリ チャンピオンシップ フェスティバル アワード ショー シアター ホール
ストリート アベニュー ロード ブリッジ ステーション ポート エアポート ハーバー ビーチ アイランド
スクール カレッジ ユニバーシティ アカデミー インスティテュート ミュージアム ライブラリー
チーム
""".split()
)
_ORGANISATION_HEAD_AT_END = re.compile(
    "(?:" + "|".join(sorted(ORGANISATION_HEADS, key=len, reverse=True)) + ")$"
)
_PLACE_OR_ORG_BEFORE = re.compile(r"(?:株式会社|有限会社|合同会社|（株）|\(株\)|㈱|㈲)[ \u3000]?$")
# After a name these nouns still belong to the person (佐藤宛, 山田家, 鈴木夫妻).
PERSON_SUFFIXES = frozenset("宛 宛て 家 夫妻 夫人 一家 邸 本人 側 個人 氏 様 君 名義 方".split())


def is_compound_part(tokens_by_start: dict[int, Token], text: str, end: int) -> bool:
    """True when a noun follows directly (湯平|温泉, ガウス|軌道): the "name" is a part of
    a compound word, not a person."""
    tok = tokens_by_start.get(end)
    if tok is None or not tok.pos or tok.pos[0] != "名詞":
        return False
    word = text[tok.start : tok.end]
    if word in PERSON_SUFFIXES or tok.is_person_name:
        return False
    return not word.isascii()


_ORG_PREFIX = re.compile(r"(?:株式会社|有限会社|合同会社|（株）|\(株\)|㈱|㈲)")


def organisation_before(text: str, start: int, end: int | None = None) -> bool:
    """株式会社マルゴ: a company form before the span, or at its start."""
    if end is not None and _ORG_PREFIX.match(text, start, end):
        return True
    return _PLACE_OR_ORG_BEFORE.search(text[max(0, start - 6) : start]) is not None


_START = attrgetter("start")


def tokens_within(tokens: list[Token], start: int, end: int) -> list[Token]:
    """The tokens inside [start, end) (tokens are in text order: bisection, not a scan)."""
    out = []
    for i in range(bisect.bisect_left(tokens, start, key=_START), len(tokens)):
        tok = tokens[i]
        if tok.start >= end:
            break
        if tok.end <= end:
            out.append(tok)
    return out


def tokens_overlapping(tokens: list[Token], start: int, end: int) -> list[Token]:
    out = []
    for i in range(max(0, bisect.bisect_right(tokens, start, key=_START) - 1), len(tokens)):
        tok = tokens[i]
        if tok.start >= end:
            break
        if tok.end > start:
            out.append(tok)
    return out


_CHAIN_LINK = re.compile(r"[・=\s]")


def is_organisation_chain(text: str, start: int, end: int, tokens: list[Token]) -> bool:
    """A ・ chain (or one katakana compound) that ends in an organisation head noun or
    starts with a place name: サンフランシスコ・ジャイアンツ, リオ・ティント・グループ."""
    value = text[start:end]
    links = [w for w in _CHAIN_LINK.split(value) if w]
    if not links:
        return False
    if links[-1] in ORGANISATION_HEADS or _ORGANISATION_HEAD_AT_END.search(value):
        return True
    inner = [t for t in tokens_within(tokens, start, end) if not text[t.start].isspace()]
    first = inner[0] if inner else None
    # サンフランシスコ・ジャイアンツ: a ・ chain that starts with a place. A space is no
    # chain: 春日 真司 is a surname that is also a place, then a given name.
    return (
        ("・" in value or "=" in value)
        and len(links) >= 2
        and first is not None
        and len(first.pos) > 2
        and first.pos[2] == "地名"
        and first.end - first.start == len(links[0])
        and len(links[0]) >= 2  # レ・ティ・ホン・ニュン: one kana is no place
    )


def is_plain_word(text: str, start: int, end: int, tokens: list[Token]) -> bool:
    """One dictionary word that is a common noun or a place (サッカー, ラベル, phone,
    スペイン): not a person on GiNZA's word alone."""
    inner = tokens_overlapping(tokens, start, end)
    if not inner or inner[0].start != start or inner[-1].end != end:
        return False
    words = [t for t in inner if not text[t.start : t.end].isspace()]
    return len(words) == 1 and all(
        not t.is_oov
        and not t.is_person_name
        and (t.is_common_noun or (len(t.pos) > 2 and t.pos[2] == "地名"))
        for t in words
    )


def is_place(text: str, start: int, end: int, tokens: list[Token]) -> bool:
    """One dictionary word that is a place name (スペイン, ローマ)."""
    inner = [t for t in tokens_overlapping(tokens, start, end) if not text[t.start].isspace()]
    return (
        len(inner) == 1
        and (inner[0].start, inner[0].end) == (start, end)
        and len(inner[0].pos) > 2
        and inner[0].pos[2] == "地名"
    )


def _katakana(ch: str) -> bool:
    return "ァ" <= ch <= "ヺ" or ch == "ー"


def inside_katakana_word(text: str, start: int, end: int) -> bool:
    """A katakana span that starts or ends inside a longer katakana word (DBバー|ジョン|):
    GiNZA cut a word, and names are whole words."""
    return (start > 0 and _katakana(text[start]) and _katakana(text[start - 1])) or (
        end < len(text) and _katakana(text[end - 1]) and _katakana(text[end])
    )


# -- span repair -------------------------------------------------------------------------
_RARE_KANJI = re.compile(r"[\U00020000-\U0003134F\uF900-\uFAFF\u3400-\u4DBF]")
_LATIN_WORD = re.compile(r"\p{Lu}\p{Ll}+|[A-Z]\.|[A-Z]{2,}")


# Words that make a Latin phrase the name of an organisation or a place (MUFG Bank).
LATIN_ORGANISATION_WORDS = frozenset(
    """
Bank Group Hotel Hotels University College School Hospital Clinic Airlines Airways Airport
Station Street Road Avenue Park Center Centre Office Branch Holdings Partners Capital Systems
Technologies Technology Solutions Services Foods Motors Trading Industries Electric Pharma
Pharmaceutical Pharmaceuticals Insurance Securities Trust Logistics Labs Lab Studio Studios Inc
Ltd Co Corp Corporation Company LLC GmbH Limited Association Foundation Institute Museum Bureau
Agency Ministry Council Committee Club Team League Festival Conference Summit Project Cloud
Robotics Electronics Engineering Consulting Networks Software Media Games Entertainment
""".split()
)


# Calendar words Sudachi also lists as names (May, June, August).
LATIN_CALENDAR_WORDS = frozenset(
    """
January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday
""".split()
)


def latin_organisation(value: str) -> bool:
    """MUFG Bank, Kuroki & Partners, Shinjuku Station: not a person."""
    return any(w.strip(".,&") in LATIN_ORGANISATION_WORDS for w in value.split())


_LATIN_WORD_BEFORE = re.compile(r"(?:^|(?<=[ ]))(" + _LATIN_WORD.pattern + r") $")


def widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in a rare kanji next to a name (𠮷田) and the other words of an English name
    (Emily Brown when GiNZA found Brown)."""
    while start > 0 and _RARE_KANJI.match(text[start - 1]):
        start -= 1
    while end < len(text) and _RARE_KANJI.match(text[end]):
        end += 1
    if text[start:end].isascii() and text[start:end][:1].isupper():
        while True:
            m = _LATIN_WORD_BEFORE.search(text, max(0, start - 40), start)
            if m is None or m.group(1).rstrip(".").title() in _NOT_NAME_WORDS:
                break
            start = m.start(1)
        while text[end : end + 1] == "-" and (m := _LATIN_WORD.match(text, end + 1)):
            end = m.end()  # Moreno-Tanaka
        while True:
            m = _LATIN_WORD.match(text, end + 1) if text[end : end + 1] == " " else None
            if m is None or m.group().rstrip(".").title() in _NOT_NAME_WORDS:
                break
            end = m.end()
    return start, end
