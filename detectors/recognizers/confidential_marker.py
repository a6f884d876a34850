"""CONFIDENTIAL_MARKER: document classification stamps — 【社外秘】, ［極秘］, (取扱注意),
◆社外秘◆, 部外秘, 関係者外秘, Confidential, Internal Use Only, TLP:RED…

Bracketed or line-start markers are stamps on a pasted document. The same words inside a
sentence about marking (社外秘文書の取扱い規程, 機密保持契約のひな形, 機密性) are
discussion, not a leak, and 秘 alone (秘書, 神秘, 便秘) never counts.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from detectors.recognizers.base import JaPatternRecognizer

_JA = (
    "社外秘|部外秘|課外秘|部内限り|課内限り|関係者外秘|関係者限り|社内限り|社内限定|社内専用|極秘|厳秘|"
    "機密情報|秘密情報|営業秘密|取扱注意|取扱厳重注意|取扱い注意|取り扱い注意|他言無用|口外厳禁|"
    "転送禁止|複製禁止|持出禁止|持ち出し禁止|二次利用禁止|開示禁止|社外持出禁止|未公開情報|"
    "インサイダー情報|機密|秘|"
    # 人事部外秘, 役員外秘; 人事限り, 役員限り (not 本日限り: a sale)
    "[一-龥]{1,6}外秘|(?:人事|役員|経営|幹部|管理職|取締役会?|経営会議)(?:部内?)?限り"
)
_EN = (
    "Strictly Confidential|Highly Confidential|Proprietary and Confidential|"
    "Privileged (?:and|&) Confidential|Confidential|Internal Use Only|For Internal Use Only|"
    "Internal Only|Do Not Distribute|Not for Distribution|Under NDA|Top Secret|Need to Know|"
    "TLP:\\s?(?:RED|AMBER)"
)
_MARKER_WORDS = (
    "秘",
    "限り",
    "限定",
    "専用",
    "注意",
    "無用",
    "厳禁",
    "禁止",
    "未公開情報",
    "インサイダー情報",
    "機密",
    "confidential",
    "internal",
    "distribut",
    "under nda",
    "top secret",
    "need to know",
    "tlp",
)
_OPEN = r"[【〔〖\[［(（<＜〈《◆■●★◇□※]"
_CLOSE = r"[】〕〗\]］)）>＞〉》◆■●★◇□]"
# A title beside the stamp in one bracket: 【人事評価・社外秘】, ［社外秘／役員限り］
_BESIDE = r"[^\n【】〔〕〖〗\[\]［］()（）<>＜＞〈〉《》・･/／]{1,12}[・･/／]"
# A stamp copied out of a PDF with a space between its characters: 【社 外 秘】
_SPACED_JA = r"社 外 秘|部 外 秘|極 秘|厳 秘|取 扱 注 意|関 係 者 外 秘"


class JpConfidentialMarkerRecognizer(JaPatternRecognizer):
    ENTITY = "CONFIDENTIAL_MARKER"
    PATTERNS: ClassVar[list[Pattern]] = [
        # A scope inside a sentence is an attribute of a thing: 共有リンク（社内限定）を使って
        # (but 価格表（社外秘）をまとめて is a stamp on the document).
        # The brackets are part of the stamp and are masked with it (【社外秘】).
        Pattern(
            "bracketed",
            _OPEN
            + r"\s?(?:"
            + _BESIDE
            + r")?(?:"
            + _JA
            + "|"
            + _EN
            + "|"
            + _SPACED_JA
            + r")(?:[・･/／]"
            + _BESIDE[: -len("[・･/／]")]
            + r")?\s?"
            + _CLOSE
            + r"(?!(?<=(?:限定|専用)\s?"
            + _CLOSE
            + r")[をでにへ])",
            0.9,
        ),
        # In 「」 the word is quoted (区分「社外秘」「極秘」を追加, 「Confidential」等の表示):
        # a stamp only when the quote starts its line and stands alone or is said of the text.
        Pattern(
            "quoted_alone",
            r"(?m)^[ \t　]*[「『]\s?(?P<v>" + _JA + "|" + _EN + r")\s?[」』]"
            # …or is said of this text: 「社外秘」の扱いで, 「極秘」扱い, 「社外秘」です
            r"(?:[ \t　]*$|(?=の?扱い|です|につき))",
            0.9,
        ),
        Pattern(
            "line_start",
            # (社外秘・人事評価 is a stamp and a title; 社外秘・Confidential 等 lists classes)
            r"(?m)^[ \t　※*#]*(?P<v>(?:" + _JA + "|" + _EN + r"))"
            r"(?=[\s:：、。／/]|$|・(?!" + _JA + "|" + _EN + "))",
            0.85,
        ),
        # キックオフ議事録 ※Confidential: a note mark and the word ending the line (a title)
        Pattern(
            "noted",
            r"(?m)[※＊][ \t]?(?P<v>" + _JA + "|" + _EN + r")[ \t　]*$",
            0.85,
        ),
        Pattern(
            "inline_ja",
            # Said of the document itself (本資料は社外秘です, 社外秘につき転送禁止, 極秘扱い):
            # a word in a policy text (社外秘資料の入力を禁止, 「社外秘」や「部外秘」) is a topic.
            r"(?P<v>社外秘|部外秘|関係者外秘|極秘|厳秘|取扱注意|他言無用|口外厳禁)"
            # (社内版AIは社外秘まで可 grades a tool: the word must end the statement)
            r"(?:(?<=は社外秘|は部外秘|は関係者外秘|は極秘|は厳秘|は取扱注意)"
            r"(?=です|である|だ|でお願い|で願い|扱い|につき|とする|とします|として|[。\s]|$)"
            r"|(?=の(?:資料|文書|情報|内容|データ|書類)(?:です|である|になります|につき))"
            r"|(?=です|である|だ(?:から|よ|ね)?[。\s]|につき|扱い(?!の)|として|のため|なので"
            r"|[ \t]*(?:[。\n]|$)))",
            0.6,
        ),
        Pattern(
            "inline_en",
            r"(?<![A-Za-z])(?P<v>(?i:strictly confidential|highly confidential|"
            r"internal use only|do not distribute|TLP:\s?(?:RED|AMBER)))(?![A-Za-z])"
            r"(?![\"'’”])(?=[ \t]*(?:[.\n:–—-]|$))",
            0.6,
        ),
    ]
    # A word every marker above contains (秘, 限, 禁止, confidential, distribut…).
    PREFILTERS: ClassVar[dict[str, str | tuple[str, ...]]] = {
        "bracketed": _MARKER_WORDS,
        "quoted_alone": _MARKER_WORDS,
        "noted": _MARKER_WORDS,
        "line_start": _MARKER_WORDS,
    }
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "規程",
        "規定",
        "ひな形",
        "雛形",
        "テンプレート",
        "とは",
        "の意味",
        "定義",
        "取扱いルール",
        "分類方法",
        "区分",
        "マニュアル",
        "研修",
        "教えて",
        "computing",
        "機密性",
    ]
    CONTEXT_WINDOW: ClassVar[int] = 12

    def validate_result(self, pattern_text: str) -> bool | None:
        # Lone 秘 or 機密 counts only as a stamp (bracketed or at a line start).
        return None
