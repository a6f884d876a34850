"""Confidentiality markers (CONFIDENTIAL_MARKER): 社外秘 … in brackets, stamps, at the line start, in English, inline."""

from __future__ import annotations

from bench.quality_set.engine import Builder


def expand(b: Builder) -> None:
    r = b.r
    ja = ["社外秘", "部外秘", "極秘", "厳秘", "関係者外秘", "取扱注意", "社内限り", "機密"]
    en = [
        "Confidential",
        "CONFIDENTIAL",
        "Internal Use Only",
        "Strictly Confidential",
        "Proprietary and Confidential",
    ]
    bodies = [
        "2025年度 営業戦略（案）\n重点顧客への値引き方針と目標売上をまとめました。これを3行で要約して。",
        "新製品の原価構成表です。これを元に価格戦略を提案して。",
        "来期の組織再編案。対象部署と人数の一覧を表にして。",
        "買収候補企業のデューデリジェンス所見。リスクを箇条書きにして。",
        "取締役会資料：第3四半期の業績見通し。プレゼン用の要点を作って。",
        "次期基幹システムの設計書（抜粋）。この構成の弱点を指摘して。",
    ]
    forms = ["bracket", "stamp", "line_start", "english", "inline"]
    for variant in forms:
        for i in range(6):
            body = bodies[(i + forms.index(variant)) % len(bodies)]
            if variant == "bracket":
                v = r.choice(ja)
                o, c = r.choice(
                    [
                        ("【", "】"),
                        ("［", "］"),
                        ("(", ")"),
                        ("＜", "＞"),
                        ("「", "」"),
                        ("（", "）"),
                    ]
                )
                tpl = o + "{v}" + c + body
            elif variant == "stamp":
                v = r.choice(ja)
                m = r.choice(["◆", "■", "★"])
                tpl = m + "{v}" + m + "\n" + body
            elif variant == "line_start":
                v = r.choice(ja)
                tpl = "{v}\n" + body
            elif variant == "english":
                v = r.choice(en)
                tpl = r.choice(["{v}\n", "[{v}] ", "*** {v} ***\n"]) + body
            else:
                v = r.choice(["社外秘", "極秘", "関係者外秘"])
                tpl = "以下は{v}の資料です。" + body
            b.add(tpl, "sensitive", variant, "CONFIDENTIAL_MARKER", v)
