"""Bank account numbers: the 7-digit 口座番号 of a 全銀 account, and ゆうちょ 記号-番号.

Typical phrasings: ``三菱UFJ銀行 渋谷支店 普通 1234567``, ``普通預金 口座番号0123456``,
``当座 7654321``; ゆうちょ: ``記号10120 番号12345671`` or ``10120-12345671``. Only the
account number is reported (the words that anchor it are not masked). Seven-digit runs
are everywhere (postal codes without a hyphen, amounts, order numbers), so a bare one
needs a bank word nearby and is dropped near 〒/郵便番号/円.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from detectors.recognizers.base import JaPatternRecognizer
from detectors.tables import TRANSFER_RECORD

# A 7-digit value that is not part of a longer number or an amount.
_ACCOUNT = r"(?<![0-9])(?P<v>[0-9]{7})(?![0-9])(?!\s*円)"
_GAP = r"\s*[:：]?\s*"
# A bare number directly labelled as something else is that thing, whatever bank word
# is also near (context only looks at distance within a window, not at the label).
_NOT_LABELLED_OTHER = (
    r"(?<!〒\s*)(?<!(?:郵便|注文|受注|発注|伝票|追跡|会員|顧客|お客様|受付|予約|管理|請求書?|"
    r"問い?合わ?せ)番号" + _GAP + r")"
)


class JpBankAccountRecognizer(JaPatternRecognizer):
    """JP_BANK_ACCOUNT: 7-digit account numbers after a deposit type, ゆうちょ numbers."""

    # 口座番号 with 6 or 8 digits, or written 123-4567: the label decides.
    LABELS = (
        "口座番号",
        "口座No",
        "Account No",
        "Account number",
        "Savings",
        "savings",
        "Checking",
        "checking",
        "Ordinary",
        "ordinary",
        "Futsu",
        "futsu",
    )
    # (an account abroad after an English label may run longer, in hyphenated groups:
    # Account No.: 0123-4567-8901)
    LABELLED_VALUE = (
        r"(?<![0-9])[0-9](?:[ \-]?[0-9]){5,7}(?![ \-]?[0-9])(?!\s*円)"
        r"|(?<![0-9])[0-9]{3,6}(?:-[0-9]{3,8}){1,3}(?![-0-9])"
    )
    # A column headed 口座 (口座, 振込口座, 口座番号) holds account numbers of that shape.
    TABLE_LABELS = (*LABELS, "口座")
    # bank_account_number: "0831247", accountNo=…, kouza_bango
    FIELD_LABELS = ("account_number", "accountnumber", "account_no", "accountno", "kouza")
    KEY_EXCLUDES = ("mail", "user", "login")

    ENTITY = "JP_BANK_ACCOUNT"
    PATTERNS: ClassVar[list[Pattern]] = [
        # 普通 1234567 / 普通預金口座 No.1234567 / 当座預金 口座番号: 1234567
        Pattern(
            "deposit_type_account",
            r"(?:普通|当座|貯蓄|総合)(?:預金)?(?:口座)?"
            + _GAP
            + r"(?:口座番号|番号|No\.?)?"
            + _GAP
            + _ACCOUNT,
            0.6,
        ),
        Pattern("account_number_label", r"口座(?:番号)?" + _GAP + _ACCOUNT, 0.6),
        # 店番-口座番号 (942-4040590, 897 8368109): the branch number identifies the account too.
        Pattern(
            "branch_and_account",
            r"(?:普通|当座|貯蓄|総合|口座番号|口座)(?:預金)?(?:口座)?"
            + _GAP
            + r"(?:口座番号|番号|No\.?)?"
            + _GAP
            + r"(?<![0-9])(?P<v>[0-9]{3}[ -][0-9]{7})(?![0-9])(?!\s*円)",
            0.9,
        ),
        # 新宿西口支店 218-3056712: a branch's name, then its number and the account's
        Pattern(
            "branch_name_account",
            r"[一-龥ァ-ヴー]{1,12}(?:支店|出張所|営業部)[ \t\u3000]*(?:普通|当座)?[ \t\u3000]*"
            r"(?<![0-9])(?P<v>[0-9]{3}[ -][0-9]{7})(?![0-9])(?!\s*円)",
            0.85,
        ),
        # A bare 7-digit run: only a bank word nearby lifts it over the threshold.
        Pattern(
            "bare_account",
            _NOT_LABELLED_OTHER + r"(?<![0-9][-,.])" + _ACCOUNT + r"(?![-,.][0-9])",
            0.2,
        ),
        # ゆうちょ: 記号 (5 digits, 1xxx0) and 番号 (up to 8 digits). Both are reported,
        # each as its own span, so the label words between them stay readable.
        Pattern(
            "yucho_symbol",
            r"記号"
            + _GAP
            + r"(?P<v>1[0-9]{3}0)(?![0-9])(?=\s*[-,、]?\s*(?:番号"
            + _GAP
            + r")?[0-9]{1,8}(?![0-9]))",
            0.6,
        ),
        Pattern(
            "yucho_number",
            r"(?<=記号" + _GAP + r"1[0-9]{3}0\s*[-,、]?\s*(?:番号" + _GAP + r")?)"
            r"(?P<v>[0-9]{1,8})(?![0-9])",
            0.6,
        ),
        Pattern("yucho_dashed", r"(?<![0-9-])(?P<v>1[0-9]{3}0-[0-9]{6,8})(?![0-9-])", 0.3),
        # A row of a 全銀 transfer file (0009,123,1,0482219,ｱｵﾔｷﾞ ﾀﾂﾔ,285000): the account.
        Pattern("zengin_record", TRANSFER_RECORD, 0.8),
    ]
    PREFILTERS: ClassVar[dict[str, str | tuple[str, ...]]] = {
        "deposit_type_account": ("普通", "当座", "貯蓄", "総合"),
        "account_number_label": ("口座",),
        "branch_and_account": ("普通", "当座", "貯蓄", "総合", "口座"),
        "bare_account": "[0-9]{7}",
        "branch_name_account": ("支店", "出張所", "営業部"),
        "zengin_record": ",[1249],[0-9]{7},",
        "yucho_symbol": ("記号",),
        "yucho_number": ("記号",),
    }
    CONTEXT: ClassVar[list[str]] = [
        # English mail: Yucho account 10120-58223911, Mizuho (1427703), bank account
        "Yucho",
        "yucho",
        "Japan Post Bank",
        "bank account",
        "Bank account",
        "account no",
        "Account no",
        "銀行",
        "支店",
        "店番",
        "口座",
        "振込",
        "振り込み",
        "振替",
        "名義",
        "預金",
        "普通",
        "当座",
        "ゆうちょ",
        "信用金庫",
        "信金",
        "労金",
        "農協",
        "JAバンク",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "〒",
        "郵便番号",
        "円",
        "注文番号",
        "伝票番号",
        "追跡番号",
        "会員番号",
        "電話",
        "TEL:",
        "TEL.",
        "FAX",
        # 記号・番号 are also the fields of a health insurance card.
        "保険証",
        "被保険者証",
        "健康保険",
        "資格確認書",
    ]
