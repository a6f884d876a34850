"""E-mail addresses (EMAIL_ADDRESS): plain, glued to Japanese text, full width (or only
a full-width ＠), and in a From: header with the sender's name."""

from __future__ import annotations

import re

from bench.quality_set.engine import Form, FormFamily, Sample
from bench.quality_set.text import CJK, fullwidth
from bench.quality_set.values import Gen

T_EMAIL = (
    "請求書の送付先は {v} です。送付状を書いて。",
    "{name}様（{v}）への見積もり送付メールを作成してください。",
    "From: {name_roma} <{v}>\n件名: 納期について\nこのメールへの返信を丁寧語で書いて。",
    "メールアドレス：{v}\n上記の方にセミナー案内を送りたいので本文を作って。",
    "CCに{sei}さん（{v}）を入れて、会議の日程調整メールを書いて。",
    "問い合わせ者のメール {v} から届いたクレームの要約をお願いします。",
)
T_HEADER = T_EMAIL[2]
T_BODY = tuple(t for t in T_EMAIL if not t.startswith("From"))
T_GLUED_FALLBACK = "連絡先は{v}までお願いします。" + "この一文を敬語に直して。"
_TOUCHES = re.compile(CJK.pattern + r"\{v\}|\{v\}" + CJK.pattern)


def _glued(template: str) -> str:
    template = template.replace(" {v}", "{v}").replace("{v} ", "{v}")
    return template if _TOUCHES.search(template) else T_GLUED_FALLBACK


def _form(variant: str) -> Form:
    def draw(g: Gen, i: int) -> Sample:
        p = g.person()
        mail = g.email(p)
        if variant == "fullwidth":
            mail = fullwidth(mail) if i % 2 else mail.replace("@", "＠")
        if variant == "header":
            tpl = T_HEADER
        else:
            tpl = T_BODY[i % 5]
            if variant == "glued":
                tpl = _glued(tpl)
        return Sample(mail, tpl, ctx={"person": p})

    return Form(variant, 8, draw)


EMAILS = FormFamily(
    "EMAIL_ADDRESS", tuple(_form(v) for v in ("plain", "glued", "fullwidth", "header"))
)
