"""要配慮個人情報 (SENSITIVE_PERSONAL_INFO) tied to a named person: illness, disability, criminal record, religion, health check, pregnancy, victimhood."""

from __future__ import annotations

from bench.quality_set.engine import Builder


def expand(b: Builder) -> None:
    forms = {
        "illness": (
            ["うつ病", "適応障害", "糖尿病", "乳がん", "パニック障害", "双極性障害"],
            [
                "{dept}の{name}さんが{v}で来月から休職します。復職支援プランを作って。",
                "{sei}さん、{v}の診断書が出たので業務量を調整したい。上司向けの説明文を。",
                "部下の{sei}が{v}の治療中です。通院日の勤務調整の文面を考えて。",
            ],
        ),
        "disability": (
            ["身体障害者手帳", "療育手帳", "精神障害者保健福祉手帳", "発達障害"],
            [
                "{name}さんは{v}を持っています。合理的配慮の申し出への回答案を。",
                "新入社員の{sei}さん（{v}あり）の配属先について上長への相談メールを。",
            ],
        ),
        "criminal": (
            ["前科", "逮捕", "執行猶予", "書類送検"],
            [
                "応募者の{name}さんに{v}があると聞きました。採用可否の判断について整理して。",
                "従業員の{sei}が飲酒運転で{v}されました。社内処分の文案を作って。",
            ],
        ),
        "religion": (
            ["キリスト教", "イスラム教", "仏教"],
            [
                "{sei}さんは{v}の信者なので、社員旅行の食事を配慮したい。旅館への依頼文を。",
                "{name}さんが{v}の礼拝のため金曜午後に中抜けしたいそうです。承認コメントを。",
            ],
        ),
        "health_check": (
            ["要精密検査", "高血圧", "肝機能"],
            [
                "健康診断で{name}さんが{v}と判定されました。産業医面談の案内メールを。",
                "{sei}さんの健診結果（{v}の数値が悪化）を踏まえた就業上の措置を考えて。",
            ],
        ),
        "pregnancy": (
            ["妊娠", "不妊治療"],
            [
                "{dept}の{name}さんから{v}の報告がありました。業務引き継ぎ計画を作って。",
                "{sei}さんが{v}中のため、出張を免除する旨のメールを書いて。",
            ],
        ),
        "victim": (
            ["ストーカー被害", "DV被害", "被害届"],
            [
                "社員の{name}さんが{v}を受けていると相談がありました。会社としての対応手順を。",
                "{sei}さんが{v}を警察に出したので、受付で来訪者を止める手順を作って。",
            ],
        ),
    }
    r = b.r
    for variant, (values, templates) in forms.items():
        for i in range(5):
            v = values[i % len(values)]
            if variant == "victim" and v == "被害届":
                tpl = "{sei}さんが{v}を警察に出したので、受付で来訪者を止める手順を作って。"
            elif variant == "victim":
                tpl = templates[0]
            else:
                tpl = templates[i % len(templates)]
            b.add(
                tpl,
                "sensitive",
                variant,
                "SENSITIVE_PERSONAL_INFO",
                v,
                group="SENSITIVE_PERSONAL_INFO",
            )
        _ = r
