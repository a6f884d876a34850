"""People (PERSON): kanji full names, surnames with honorifics, form fields, katakana, hiragana, romaji, bare lists, half-width katakana."""

from __future__ import annotations

from bench.quality_set.engine import Builder
from bench.quality_set.text import halfwidth_kana, kata_to_hira


def expand(b: Builder) -> None:
    r, g = b.r, b.g
    forms = {
        "kanji_full": [
            "営業部の{v}です。この自己紹介文をもっと親しみやすくして。",
            "本日の面談者は{v}さんでした。面談記録の要約を作成してください。",
            "{company}の{v}様より見積もり依頼が届きました。返信文を作って。",
            "人事評価コメント：{v}は今期、目標を大きく上回る成果を出した。もっと具体的に書き直して。",
        ],
        "surname_honorific": [
            "お客様の{v}様より解約の申し出がありました。引き留めのメール案を。",
            "{v}さんへの異動の内示メールを作成して。",
            "{v}部長に提出する週報を、箇条書きから文章に直して。",
            "{company} {v}様 いつもお世話になっております。先日の件で…という書き出しで続きを書いて。",
            "議事録：{v}氏より、来期の予算について懸念が示された。これを要約して。",
        ],
        "field": [
            "氏名：{v}\n部署：{dept}\n上記社員の在籍証明書を作って。",
            "担当者：{v}\nこの見積書の送付メールを作成してください。",
            "お名前: {v}\nお問い合わせ内容: 商品が届かない\n返信テンプレートを作って。",
            "申請者氏名 {v} の出張申請を承認するコメントを書いて。",
        ],
        "katakana": [
            "振込名義が{v}になっています。入金消込の確認メールを作って。",
            "フリガナ：{v}\nこの方の会員カードの宛名を作って。",
            "{v}様の予約を確認しました、という返信を丁寧に書いて。",
        ],
        "hiragana": [
            "保育園の連絡帳に{v}ちゃんの様子を書きたいので文例を。",
            "{v}さんへの誕生日メッセージを社内チャット用に考えて。",
            "ふりがな：{v}\nこの表記で名札を作りたいです。",
        ],
        "romaji": [
            "Please draft a reply to {v} about the delayed shipment.",
            "{v}さんの英文の推薦状を作成して。",
            "名刺の英語表記は「{v}」でいいですか？",
            "Attendees: {v}, 営業部長\nこの会議メモを日本語で要約して。",
        ],
        "no_honorific_list": [
            "本日の会議には{v}、{sei2}が出席。議事録のフォーマットを整えて。",
            "シフト表：月曜 {v}、火曜 {sei2}\nこれを表形式に直して。",
            "担当を{v}から{sei2}に変更します。取引先への通知文を書いて。",
        ],
        "halfwidth_katakana": [
            "銀行の入金明細に「ﾌﾘｺﾐ {v}」とあります。誰からの入金か照合するメールを作って。",
            "口座名義 {v} で登録されている顧客への案内文を作成して。",
        ],
    }
    counts = {
        "kanji_full": 14,
        "surname_honorific": 14,
        "field": 12,
        "katakana": 10,
        "hiragana": 9,
        "romaji": 12,
        "no_honorific_list": 9,
        "halfwidth_katakana": 8,
    }
    for variant, templates in forms.items():
        for i in range(counts[variant]):
            p = g.person()
            sep = r.choice(["", " ", "\u3000"])
            if variant == "kanji_full":
                v = p["sei"] + sep + p["mei"]
            elif variant in ("surname_honorific", "no_honorific_list"):
                v = p["sei"]
            elif variant == "field":
                v = p["sei"] + r.choice([" ", "\u3000", ""]) + p["mei"]
            elif variant == "katakana":
                v = p["sei_kana"] + r.choice([" ", "\u3000", ""]) + p["mei_kana"]
            elif variant == "hiragana":
                v = (
                    kata_to_hira(p["mei_kana"])
                    if "ちゃん" in templates[i % len(templates)] or i % 2
                    else kata_to_hira(p["sei_kana"] + " " + p["mei_kana"])
                )
            elif variant == "romaji":
                v = (
                    f"{p['mei_roma']} {p['sei_roma']}"
                    if i % 2
                    else f"{p['sei_roma'].upper()} {p['mei_roma']}"
                )
            else:
                v = halfwidth_kana(p["sei_kana"] + " " + p["mei_kana"])
            q = g.person()
            while q["sei"] == p["sei"]:
                q = g.person()
            b.add(
                templates[i % len(templates)], "sensitive", variant, "PERSON", v, ctx={"person2": q}
            )
