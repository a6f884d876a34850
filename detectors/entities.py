"""The entity types Sekimori knows, with the names people read in messages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EntityInfo:
    ja: str
    en: str


ENTITIES: dict[str, EntityInfo] = {
    "JP_MY_NUMBER": EntityInfo("マイナンバー（個人番号）", "My Number (individual number)"),
    "JP_CORPORATE_NUMBER": EntityInfo("法人番号", "corporate number"),
    "PHONE_NUMBER": EntityInfo("電話番号", "phone number"),
    "JP_POSTAL_CODE": EntityInfo("郵便番号", "postal code"),
    "ADDRESS": EntityInfo("住所", "address"),
    "EMAIL_ADDRESS": EntityInfo("メールアドレス", "email address"),
    "CREDIT_CARD": EntityInfo("クレジットカード番号", "credit card number"),
    "JP_BANK_ACCOUNT": EntityInfo("銀行口座番号", "bank account number"),
    "JP_PASSPORT": EntityInfo("旅券（パスポート）番号", "passport number"),
    "JP_DRIVER_LICENSE": EntityInfo("運転免許証番号", "driver's licence number"),
    "JP_RESIDENCE_CARD": EntityInfo("在留カード番号", "residence card number"),
    "JP_PENSION_NUMBER": EntityInfo("基礎年金番号", "basic pension number"),
    "JP_HEALTH_INSURANCE": EntityInfo(
        "健康保険証の記号・番号・保険者番号",
        "health insurance card symbol / number / insurer number",
    ),
    "JP_EMPLOYMENT_INSURANCE": EntityInfo("雇用保険被保険者番号", "employment insurance number"),
    "JP_RESIDENT_CODE": EntityInfo("住民票コード", "resident record code"),
    "DATE_OF_BIRTH": EntityInfo("生年月日", "date of birth"),
    "PERSON": EntityInfo("人名", "person name"),
    "SECRET": EntityInfo(
        "認証情報（APIキー・パスワード等）", "credential (API key, token, password)"
    ),
    "CONFIDENTIAL_MARKER": EntityInfo("機密表示（社外秘など）", "confidentiality marker"),
    "SENSITIVE_PERSONAL_INFO": EntityInfo("要配慮個人情報", "sensitive personal information"),
    "CUSTOMER": EntityInfo("顧客名", "customer name"),
    "CODENAME": EntityInfo("社内コード名", "internal code name"),
}


def describe(entity_type: str) -> EntityInfo:
    """Human names for an entity type; custom types fall back to their own name."""
    return ENTITIES.get(entity_type, EntityInfo(entity_type, entity_type))
