"""Realistic mixed records: signatures, tickets, onboarding forms, mails with several values."""

from __future__ import annotations

from bench.quality_set.engine import Builder


def expand(b: Builder) -> None:
    templates = [
        "以下の署名を英語に翻訳して。\n――――――――\n{company} {dept}\n{name}\n〒{postal} {addr}\n"
        "TEL: {tel}\nMail: {mail}\n――――――――",
        "【問い合わせチケット #{ticket}】\nお名前：{name}\nご連絡先：{mobile}\nメール：{mail}\n"
        "内容：注文した商品が届きません。\n→ この問い合わせへの返信を書いて。",
        "新入社員登録の依頼です。\n氏名：{name}\n生年月日：{dob}\n住所：〒{postal} {addr}\n"
        "携帯：{mobile}\n人事システムに入力する前に表記ゆれを直して。",
        "{sei}様\n\nいつもお世話になっております。{company}の{sei2}です。\n"
        "ご依頼の見積書を添付いたします（合計 {amount} 円）。\nご不明点は {tel} までご連絡ください。\n"
        "このメールをもっと簡潔に。",
    ]
    for i in range(24):
        tpl = templates[i % len(templates)]
        b.add(
            tpl,
            "sensitive",
            "mixed",
            extra={"ticket": (str(b.r.randint(10000, 99999)), None)},
            group="mixed",
        )
