"""ADDRESS: Japanese addresses down to block and lot level.

Prefecture → city/ward/town/village (郡, designated-city wards) → town area (大字, 字,
Kyoto's 通…上る/下る/東入/西入, Sapporo's 条, Asahikawa's 条通) → 丁目 / 番地 / 番 / 号 or
2-8-1 style numbers (kanji numerals too: 二丁目八番一号) → building and room (ビル, マンション, 5F, 301号室, #301).
A prefecture or city alone (大阪支社, 東京本社) is not an address: the pattern needs the
block/lot part. Without a prefecture, a city or ward is required (港区芝公園4-2-8).
"""

from __future__ import annotations

from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern, RecognizerResult

from detectors.recognizers.base import JaPatternRecognizer

PREFECTURES = (
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
)
_PREF = "(?:" + "|".join(PREFECTURES) + ")"
_K = "一-龥々〆ヶヵ"  # kanji
_NUM = "[0-9〇一二三四五六七八九十百千]+"
# City, ward, county, town or village: kanji/katakana ending in 市区町村郡.
# Not across a prefecture (…変わらず沖縄県浦添市 is 浦添市) and starting with kanji or
# katakana, except a name all in hiragana (さいたま市, つくば市).
_CITY = f"(?:[{_K}ァ-ヴー](?:(?!県)[{_K}ぁ-ゖァ-ヴー]){{0,6}}?|[ぁ-ゖ]{{2,6}})[市区町村郡]"
# Town area: kanji/katakana, with the Kyoto direction words that carry hiragana.
# (a numbered 番町 is part of a town's name: 西堀通6番町, 二番町)
_TOWN = (
    f"(?:[{_K}ァ-ヴー]|上る|下る|上ル|下ル|東入る?|西入る?|ノ|の|ケ|が|[0-9]{{1,2}}番町){{0,20}}"
)
# After a prefecture the town may be in hiragana too (みなとみらい, ひばりが丘); without one,
# hiragana would let a sentence pass for a town (木村さんの携帯は090-…).
_TOWN_KANA = f"(?:[{_K}ァ-ヴーぁ-ゖ]|上る|下る|上ル|下ル|東入る?|西入る?|[0-9]{{1,2}}番町){{0,20}}"
_BLOCK = (
    f"(?:{_NUM}丁目|{_NUM}丁(?=[0-9〇一二三四五六七八九十])|{_NUM}条(?:通?[東西南北]?{_NUM}丁目)?"
    f"|{_NUM}番地?(?![町丁通])|{_NUM}号"
    r"|[0-9]{1,5}(?:-[0-9]{1,5}){1,3}|[0-9]{1,5}(?=[\s、。,()（）]|$))"
)
# After the block, the rest of the number to its end: 1丁目21-1, 4番2号, 2番地2, 3-5-1.
_REST = (
    f"(?:(?:の|-)?{_NUM}(?:番地?|号)|-[0-9]{{1,5}}|の{_NUM}"
    # (Sapporo's 本通4丁目南2-21: a direction after the 丁目)
    f"|(?<=丁目|番地|番|[0-9]丁)[東西南北]?{_NUM}(?:-[0-9]{{1,5}}){{0,2}}(?:号室?)?)*"
)
_BUILDING_WORD = (
    "ビル|マンション|ハイツ|コーポ|レジデンス|タワー|荘|ハウス|アパート|パレス|ヒルズ|プラザ|"
    "センター|ビルディング|コート|メゾン|テラス|パーク|ガーデン|ヴィラ|シティ|ハイム|苑|寮|団地"
)
_NAME_CHARS = "[" + _K + "ァ-ヴーA-Za-z・ぁ-ゖⅠ-Ⅹ0-9]"
# A building name without a building word still ends the address when a room or floor
# follows it (カーサ・ソレイユ101, グランシャリオB棟402, 中央スクエア 9F).
# (a field label and a number after the address is no building: TEL 0120, Phone 0312)
_NOT_A_BUILDING = (
    r"(?!(?:TEL|Tel|FAX|Fax|Phone|Mobile|Cell|Email|E-mail|Mail|URL|ID|No|PIN|Room|Apt)"
    r"(?![A-Za-z]))"
)
_BARE_NAME = _NOT_A_BUILDING + "[" + _K + "ァ-ヴーA-Z][" + _K + "ァ-ヴーぁ-ゖA-Za-z・Ⅰ-Ⅹ]{1,20}"
# A room after a building word: B棟 1503, B-205, 2-B, 807, 3F
_ROOM_AFTER_NAME = (
    r"(?:[ \u3000]?[A-Z0-9]{0,2}号?棟)?[ \u3000]?(?:[A-Z][-‐]?)?[0-9]{1,4}(?:[-‐][0-9A-Z]{1,4})?"
    r"(?:(?:F|階)(?:[-‐][A-Z0-9]{1,3})?|号室|号)?(?![0-9])"
)
# Tri-Seven Roppongi 8階: a building named in Latin letters, then its floor
# (WISE NEXT新横浜 8F: the Latin name may end in a place written in kanji)
_LATIN_BUILDING = (
    r"[A-Z][A-Za-z0-9\-]+(?: [A-Z][A-Za-z0-9\-]+){0,3}(?:[" + _K + r"ァ-ヴー]{1,8})?[ \u3000]?"
    r"[0-9]{1,3}(?:F|階)"
    # T-FACE 1204: a Latin name and a room number
    r"|" + _NOT_A_BUILDING + r"[A-Z][A-Za-z\-]+(?: [A-Z][A-Za-z\-]+){0,3}[ \u3000][0-9]{3,4}"
    r"(?=[\s、。,)）|」]|$)"
)
_ROOM = r"(?:[A-Z]?棟)?[ \u3000]?[0-9]{1,4}(?:号室|号|F|階)?(?=[\s、。,)）|」]|です|$)"
_BUILDING_NAME = (
    r"(?:"
    + _NAME_CHARS
    + "{0,20}(?:"
    + _BUILDING_WORD
    + ")"
    + _NAME_CHARS
    + r"{0,12}(?:"
    + _ROOM_AFTER_NAME
    + r")?(?:[-‐][A-Z0-9]{1,3}(?![A-Za-z0-9]))?"  # 東急ビル2F-C
    r"|"
    + _NAME_CHARS
    + r"{1,20}?[0-9]{1,4}(?:号室|F|階)"
    + r"|"
    + _LATIN_BUILDING
    + r"|[0-9]{1,4}(?:F|階|号室)|#[0-9]{1,4}"
    r"|" + _BARE_NAME + r"[ \u3000]?" + _ROOM + ")"
)
_BUILDING = r"(?:[ \u3000]?" + _BUILDING_NAME + ")?"
# An address that ends its line may go on with the building on the next one (a form or a
# label block: the building line indented under the street line, nothing else on it).
# (the line break may be a JSON string's \n; a name may follow the building: 手塚 良一様)
_NEXT_LINE_BUILDING = re.compile(
    r"[ \t\u3000]*(?:\n|\\n)[ \t\u3000]*(?P<b>" + _BUILDING_NAME + r")(?:[ \t\u3000]|\n|\\n|$)"
)
_CARE_OF = re.compile(r"[ \u3000]?[一-龥々ァ-ヴー]{1,6}(?:様方|方)(?![面向法針式])")
_VCARD_ADR = re.compile(r"^ADR(?:;[^:\n]*)?:;*(?P<v>[^;\n][^\n]*?);*[ \t]*$", re.MULTILINE)
# A building line says so: a building word, a room or floor, or a 3-4 digit room number
# (証人2 or 第2章 on the next line is no building).
_BUILDING_MARK = re.compile(r"[0-9]{3,4}|号室|[0-9][F階]|棟|" + _BUILDING_WORD)


# Romaji, as in English mail and forms: [Room 1502, | 2F, | Aoyama Palacio Tower 9F, ]
# 1-1-3 Umeda, Kita-ku, Osaka[, Osaka][ 530-0001] — the ward or city (-ku, -shi…) is required.
_R_WORD = r"[A-Z][a-z]+(?:-[A-Za-z]+)*"
_R_UNIT_WORD = r"(?:Room|Apt|Apartment|Unit|Flat|Suite|Rm)(?![a-z])"
_R_UNIT = r"(?:Room|Apt\.?|Apartment|Unit|Flat|Suite|Rm\.?)\s?#?[0-9]{1,5}[A-Z]?"
_ROMAJI = (
    # (Sunny Court 405, 1-9-12 …: a building and its room before the block)
    r"(?<![A-Za-z0-9])(?:(?:" + _R_UNIT + r"|[0-9]{1,3}F|[A-Z][A-Za-z0-9.&' ]{2,40}?\s[0-9]{1,3}F"
    r"|(?-i:[A-Z][A-Za-z.&']+(?: [A-Z][A-Za-z.&']+){0,3})\s[0-9]{2,4})"
    # Room 402, Maison Kitashirakawa, 15 Kitashirakawa Oiwake-cho, Sakyo-ku, Kyoto
    r",\s(?:[A-Z][A-Za-z'’ ]{2,40},\s)?)?[0-9]{1,5}(?:-[0-9]{1,5}){0,3}\s"
    + _R_WORD
    + r"(?:\s"
    + _R_WORD
    + r")?(?:\s[0-9]{1,2}-(?:chome|jo))?"
    r",\s(?:" + _R_WORD + r"-(?:ku|shi|cho|machi|gun|mura|son)(?![a-z])"
    r"(?:,\s(?!" + _R_UNIT_WORD + r")" + _R_WORD + r"(?![a-z]))?"
    r"(?:,\s(?!" + _R_UNIT_WORD + r")" + _R_WORD + r")?"
    # 2-5-1 Hirooka, Kanazawa, Ishikawa 920-0031: no -shi, but the postal code ends it
    # (a block of three numbers before it: 2-3 June, Tokyo 100-0001 is no address)
    r"|(?<=(?<![0-9\-])[0-9]{1,5}-[0-9]{1,5}-[0-9]{1,5}\s[^,\n]{2,40},\s)"
    r"(?:" + _R_WORD + r",\s){0,2}" + _R_WORD + r"(?=,?\s[0-9]{3}-[0-9]{4}(?![0-9])))"
    r"(?:,?\s(?:" + _R_UNIT + r"))?"
    # … Aichi 460-0003, JAPAN
    r"(?:,?\s[0-9]{3}-[0-9]{4}(?![0-9]))?(?:,\s(?i:japan)(?![A-Za-z]))?"
    r"(?:,\s(?:" + _R_UNIT + r"))?"  # … Tokyo 153-0061, Room 402
)


# Street addresses abroad: [Flat 4, ]27 Elgin Crescent, London W11 2JD[, UK] — a house
# number, a street with its kind (Street, Rd, Crescent…), then the town, code and country.
_STREET_KIND = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Crescent|Grove|Place|Pl"
    r"|Way|Court|Ct|Terrace|Square|Sq|Highway|Hwy|Parkway|Pkwy|Close|Gardens|Row|Mews)\.?"
)
_STREET_PART = (
    r"(?!(?:Tel|TEL|Phone|Mobile|Email|E-mail|Fax|FAX|Attn)\b)[A-Z0-9][A-Za-z0-9.'’\- ]{0,30}?"
)
_STREET = (
    r"(?-i:(?<![A-Za-z0-9])(?:"
    + _R_UNIT
    + r",\s)?(?:No\.\s?)?[0-9]{1,5}[A-Za-z]?\s(?:[A-Z][a-z]+\s){1,3}"
    + _STREET_KIND
    + r"(?:,\s"
    + _STREET_PART
    + r"(?=,|$|\n|\s\+|;|\s[—–-]\s|\.\s|\))){1,4})"
)
# Room 1208, Tower 2, 88 Queensway, Admiralty, Hong Kong / 42 MG Road, Bengaluru 560001,
# India / Leninsky Prospekt 32, Apt 14, Moscow 119334, Russia: comma-separated parts with
# a number among them, ending in the name of a country (or territory).
_COUNTRIES = (
    "Hong Kong|Macau|Taiwan|China|P\\.R\\. China|Korea|South Korea|Republic of Korea|Singapore|Malaysia"
    "|Thailand|Vietnam|Viet Nam|Philippines|Indonesia|India|Nepal|Sri Lanka|Bangladesh|Pakistan"
    "|Mongolia|Cambodia|Myanmar|Laos|Australia|New Zealand|United States|USA|U\\.S\\.A\\.|Canada"
    "|Mexico|Brazil|Argentina|Peru|Chile|Colombia|United Kingdom|UK|England|Scotland|Ireland"
    "|France|Germany|Italy|Spain|Portugal|Netherlands|Belgium|Switzerland|Austria|Sweden|Norway"
    "|Denmark|Finland|Poland|Czech Republic|Hungary|Romania|Bulgaria|Greece|Turkey|Russia|Ukraine"
    "|Israel|UAE|United Arab Emirates|Saudi Arabia|Qatar|Egypt|Kenya|Nigeria|South Africa|Ghana"
    "|Senegal|Ethiopia|Morocco"
)
_ABROAD = (
    r"(?-i:(?:(?<=^)|(?<=\n)|(?<=[:：]\s)|(?<=[:：])|(?<=c/o\s)|(?<=, )|(?<=[（(])"
    r"|(?<=[^\x00-\x7f][ \u3000]))"
    # the first part holds the number (Room 1208, 45 Ly Tu Trong, Leninsky Prospekt 32),
    # two or more parts before the country, none a person's title
    r"(?=[^,\n]{0,40}[0-9])"
    # (Latin letters beyond ASCII too: 12 Nguyễn Huệ, Phường Bến Nghé; #20-61 is a unit)
    # (a unit may be lower case: apto 92, apt 4B)
    r"(?:(?!(?:Mr|Ms|Mrs|Miss|Dr|Prof)\.?\s)(?:[\p{Lu}0-9#]|(?:apto?|apt\.|flat|unit|suite)\s)"
    r"[\p{L}0-9.'’#/\- ]{1,40},\s){2,6}"
    r"(?:" + _COUNTRIES + r")(?![A-Za-z])(?:\s[0-9]{4,6}(?![0-9]))?)"
)


class JpAddressRecognizer(JaPatternRecognizer):
    ENTITY = "ADDRESS"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "address_prefecture",
            _PREF + f"(?:{_CITY}){{1,2}}" + _TOWN_KANA + _BLOCK + _REST + _BUILDING,
            0.75,
        ),
        # Hokkaido and Tokyo-style without 市区町村 in rare forms: prefecture + town + block.
        Pattern(
            "address_prefecture_town",
            _PREF + f"[{_K}ァ-ヴー]{{1,10}}?" + _BLOCK + _REST + _BUILDING,
            0.6,
        ),
        Pattern("address_romaji", _ROMAJI, 0.75),
        # 桜ヶ丘3丁目12番8号 with no city before it: the whole 丁目・番・号 says address
        Pattern(
            "address_town_chome",
            f"(?<![{_K}ァ-ヴー])[{_K}ァ-ヴー]{{2,8}}?[0-9]{{1,2}}丁目[0-9]{{1,4}}番地?[0-9]{{1,4}}号?"
            r"(?![0-9])" + _BUILDING,
            0.6,
        ),
        Pattern("address_street", _STREET, 0.7),
        Pattern("address_abroad", _ABROAD, 0.7),
        # 横浜市青葉区美しが丘2-19-6: after a city and its ward the town may be in hiragana
        Pattern(
            "address_city_ward",
            f"(?<![{_K}ァ-ヴー])(?:{_CITY.replace('[市区町村郡]', '市')})"
            f"(?:{_CITY.replace('[市区町村郡]', '区')})" + _TOWN_KANA + _BLOCK + _REST + _BUILDING,
            0.55,
        ),
        Pattern(
            "address_city",
            f"(?<![{_K}ァ-ヴー])" + f"(?:{_CITY}){{1,2}}" + _TOWN + _BLOCK + _REST + _BUILDING,
            0.55,
        ),
    ]
    # A cell under 住所 / ジュウショ / Address with a number in it (half-width kana exports too).
    TABLE_LABELS = (
        "住所",
        "ジュウショ",
        "所在地",
        "送付先",
        "お届け先",
        "address",
        "建物",
        "マンション名",
        "building",
    )
    # Record keys: "address2": "堺センタービル 3F", addr2=…, "line1": "栄3丁目8-21" — a value
    # with a number and a mark of an address or a building in it (line1 may hold anything).
    FIELD_LABELS = ("address", "addr", "street", "building", "jusho", "住所", "line1", "line2")
    FIELD_VALUE = (
        r"(?=[^\t\n]*[0-9])(?=[^\t\n]*(?:丁目|番|号|[都道府県市区町村郡]|" + _BUILDING_WORD + r"|"
        r"[0-9][F階]|-[0-9]|[0-9]{3,4}$))[^\t\n]{4,80}"
    )
    # email_address, ip_address, mac_address, server_addr: not where someone lives
    KEY_EXCLUDES = (
        "mail",
        "メール",
        "ipaddr",
        "ip_addr",
        "ipv4",
        "ipv6",
        "mac",
        "url",
        "web",
        "wallet",
        "server",
        "host",
        "remote",
        "bind",
        "listen",
    )
    TABLE_VALUE = r"(?=[^\t,|\n]*[0-9〇一二三四五六七八九十])[^\t,|\n]{6,80}"
    CONTEXT: ClassVar[list[str]] = [
        "住所",
        "現住所",
        "ご住所",
        "所在地",
        "自宅",
        "住居",
        "送付先",
        "お届け先",
        "届け先",
        "本籍",
        "居所",
        "転居先",
        "引越し先",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = ["会場", "開催地", "最寄り駅"]
    CONTEXT_WINDOW: ClassVar[int] = 16
    # Every prefecture ends in 都道府県; every city part in 市区町村郡.
    # An address is written on one line: these run only on the lines with their words.
    LINE_LOCAL: ClassVar[frozenset[str]] = frozenset(
        {"address_prefecture", "address_prefecture_town", "address_city"}
    )
    PREFILTERS: ClassVar[dict[str, str | tuple[str, ...]]] = {
        "address_prefecture": ("都", "道", "府", "県"),
        "address_prefecture_town": ("都", "道", "府", "県"),
        "address_city": ("市", "区", "町", "村", "郡"),
        "address_city_ward": "市.{0,8}区",
        # a ward or a city (-ku, -shi…), or a postal code at the end
        "address_romaji": r"(?i:-(?:ku|shi|cho|machi|gun|mura|son)|[a-z],?\s[0-9]{3}-[0-9]{4})",
        "address_street": _STREET_KIND,
        "address_town_chome": ("丁目",),
        "address_abroad": r"(?:" + _COUNTRIES + r")(?![A-Za-z])",
    }

    def refine(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """An address goes on with the building line under it, and with the household the
        mail goes to (…の5 井上方)."""
        if "\n" in text or "\\n" in text:
            for r in results:
                m = _NEXT_LINE_BUILDING.match(text, r.end)
                if m is not None and _BUILDING_MARK.search(m.group("b")):
                    r.end = m.end("b")
        if "方" in text:
            for r in results:
                m = _CARE_OF.match(text, r.end)
                if m is not None:
                    r.end = m.end()  # …番地の5 井上方: the household the mail goes to
        return results

    def extra_results(self, text: str) -> list[RecognizerResult]:
        """A vCard's ADR line: ;;street;city;region;postal code[;country], one address."""
        if "BEGIN:VCARD" not in text:
            return []
        found = []
        for m in _VCARD_ADR.finditer(text):
            start, end = m.span("v")
            parts = text[start:end].split(";")
            if parts and parts[-1].isascii() and parts[-1].strip().isalpha():
                end -= len(parts[-1]) + 1  # the country (Japan) is no one's address
            if end > start and any(c.isdigit() for c in text[start:end]):
                found.append(self._result(start, end, 0.8, "vcard_adr"))
        return found

    def validate_result(self, pattern_text: str) -> bool | None:
        # The block/lot part must contain a digit (丁目 alone after a town name is enough).
        if not any(c.isdigit() or c in "〇一二三四五六七八九十" for c in pattern_text):
            return False
        return None
