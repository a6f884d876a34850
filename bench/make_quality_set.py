"""Build the labelled Japanese evaluation set ``tests/data/quality/quality.jsonl``.

Deterministic: one seeded ``random.Random``, no set iteration, no clock. Run

    .venv/bin/python -m bench.make_quality_set            # writes the default file
    .venv/bin/python -m bench.make_quality_set --check    # regenerates and compares

Every record is ``{"id", "text", "expect": [{"entity", "value"}], "variant", "kind"}``.
``kind`` is ``sensitive`` (at least one expected value) or ``harmless`` (none: nothing in
the text may be changed). Every ``value`` occurs verbatim in ``text``, and every
occurrence of it lies inside a slot the generator filled (so a surname can never match
ordinary template words by accident).

Structured identifiers (My Number, 法人番号, phone, postal code, card, bank account,
passport, licence, residence card, pension number) each appear in every writing variant:

    plain          the usual ASCII form (090-1234-5678, 123456789018)
    fullwidth      全角 digits, letters and ``－`` (０９０－１２３４－５６７８)
    dash_variant   ``ー ― ‐ − – —`` as separators between the groups
    spaced         ASCII or ideographic spaces between the groups
    kanji_numeral  digits as kanji numerals (〇九〇の一二三四の五六七八)
    zero_width     U+200B zero-width spaces between digits
    glued          plain form with no space between it and the Japanese text around it

Check digits are computed here, not copied: My Number (番号法施行規則 5条), 法人番号
(mod 9, leading check digit), Luhn with real IIN prefixes for cards, the (unofficial)
licence check digit, EAN/JAN check digits for the harmless product codes. Phone numbers
follow the Japanese numbering plan (mobile 070/080/090, 050 IP, 0120/0800 free dial,
geographic area codes, +81) and are asserted valid with ``phonenumbers``.

All names, companies, numbers and keys are invented; addresses use real prefecture /
city / town names (public geography) with invented block numbers.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import cast

from bench.quality_set.engine import SEED, Builder, expand_forms, expand_structured
from bench.quality_set.families.addresses import ADDRESSES
from bench.quality_set.families.dates import DATES_OF_BIRTH
from bench.quality_set.families.emails import EMAILS
from bench.quality_set.families.harmless import HARMLESS
from bench.quality_set.families.identifiers import IDENTIFIERS, NEW_IDENTIFIERS
from bench.quality_set.text import halfwidth_kana, kata_to_hira
from bench.quality_set.values import (
    ALNUM,
    b64url,
    password,
    rand,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "data" / "quality" / "quality.jsonl"


# ---------------------------------------------------------------------------------------
# Sensitive sets
# ---------------------------------------------------------------------------------------
# -- people -----------------------------------------------------------------------------------
def people(b: Builder) -> None:
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


# -- secrets ----------------------------------------------------------------------------------
def secrets(b: Builder) -> None:
    r = b.r
    for i in range(6):  # AWS
        akid = r.choice(["AKIA", "AKIA", "ASIA"]) + rand(r, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        sk = rand(r, 40, ALNUM + "/+")
        tpl = [
            "[default]\naws_access_key_id = {a}\naws_secret_access_key = {s}\nこの設定でS3に繋がりません。原因は？",
            "export AWS_ACCESS_KEY_ID={a}\nexport AWS_SECRET_ACCESS_KEY={s}\nを設定したのに認証エラーになります",
            "boto3.client('s3', aws_access_key_id='{a}', aws_secret_access_key='{s}') のコードをレビューして",
        ][i % 3]
        b.add(
            tpl,
            "sensitive",
            "aws",
            extra={"a": (akid, "SECRET"), "s": (sk, "SECRET")},
            group="SECRET",
        )
    for i in range(6):  # GitHub
        tok = r.choice(["ghp_", "ghp_", "gho_", "ghs_"]) + rand(r, 36)
        if i == 5:
            tok = "github_pat_" + rand(r, 22) + "_" + rand(r, 59)
        tpl = [
            "git clone https://{t}@github.com/sample-org/internal-tool.git が403になります",
            "GitHub Actionsで GITHUB_TOKEN={t} を使っているのにpushできない理由は？",
            'curl -H "Authorization: token {t}" https://api.github.com/user の結果が401です',
        ][i % 3]
        b.add(tpl, "sensitive", "github", extra={"t": (tok, "SECRET")}, group="SECRET")
    for i in range(6):  # OpenAI-style / Anthropic-style
        if i % 3 == 0:
            tok = "sk-proj-" + rand(r, 64, ALNUM + "_-") + "T3BlbkFJ" + rand(r, 64, ALNUM + "_-")
        elif i % 3 == 1:
            tok = "sk-" + rand(r, 20) + "T3BlbkFJ" + rand(r, 20)
        else:
            tok = "sk-ant-api03-" + rand(r, 93, ALNUM + "_-") + "AA"
        tpl = [
            "OPENAI_API_KEY={t}\nこの.envの書き方で合っていますか？",
            'client = OpenAI(api_key="{t}") でRateLimitErrorが出ます。',
            "APIキーは{t}です。このキーでcurlする例を書いて。",
        ][i % 3]
        b.add(tpl, "sensitive", "openai_style", extra={"t": (tok, "SECRET")}, group="SECRET")
    for i in range(6):  # Slack
        if i % 2:
            tok = f"xoxb-{r.randint(10**11, 10**12 - 1)}-{r.randint(10**12, 10**13 - 1)}-{rand(r, 24)}"
            tpl = "Slackボットのトークン {t} で chat.postMessage が invalid_auth になります。"
        else:
            tok = (
                f"https://hooks.slack.com/services/T{rand(r, 8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}"
                f"/B{rand(r, 10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/{rand(r, 24)}"
            )
            tpl = "Webhook URL: {t}\nこれに通知を送るPythonスクリプトを書いて。"
        b.add(tpl, "sensitive", "slack", extra={"t": (tok, "SECRET")}, group="SECRET")
    for i in range(6):  # private keys
        kind = ["RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY"][i % 4]
        lines = [rand(r, 64, ALNUM + "+/") for _ in range(r.randint(4, 8))]
        block = f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----"
        tpl = [
            "サーバーにSSHできません。鍵はこれです。\n{t}\nパーミッションの問題でしょうか？",
            "この秘密鍵の形式をPEMからOpenSSH形式に変換する方法は？\n{t}",
            "{t}\n上の鍵でJWTに署名するNode.jsのコードを書いて。",
        ][i % 3]
        b.add(tpl, "sensitive", "private_key", extra={"t": (block, "SECRET")}, group="SECRET")
    for i in range(6):  # JWT
        p = b.g.person()
        header = b64url({"alg": r.choice(["HS256", "RS256"]), "typ": "JWT"})
        payload = b64url(
            {
                "sub": str(r.randint(10**6, 10**7)),
                "name": p["mei_roma"] + " " + p["sei_roma"],
                "iat": 1700000000 + r.randint(0, 10**7),
            }
        )
        tok = f"{header}.{payload}.{rand(r, 43, ALNUM + '_-')}"
        tpl = [
            "このJWTをデコードして中身を説明して：{t}",
            "Authorization: Bearer {t}\nこのヘッダーでAPIを叩くと401になります。",
            "ログに token={t} が出力されていました。期限切れか確認する方法は？",
        ][i % 3]
        b.add(tpl, "sensitive", "jwt", extra={"t": (tok, "SECRET")}, group="SECRET")
    for i in range(10):  # Japanese password lines
        pw = password(r)
        tpl = [
            "ログインID：{sei_id}\nパスワード：{t}\nこのアカウント情報を新入社員向け案内メールにして。",
            "初期パスワードは {t} です。初回ログイン時に変更してください、という案内文を作って。",
            "Wi-Fiのパスワードは{t}です。来客用の掲示文を作って。",
            "ID: admin / PW: {t} でログインできません。考えられる原因は？",
            "共有フォルダのパスワード＝{t}　これを取引先に伝えるメールを書いて。",
        ][i % 5]
        b.add(
            tpl,
            "sensitive",
            "password_ja",
            extra={"t": (pw, "SECRET"), "sei_id": (b.g.person()["sei_roma"].lower() + "_t", None)},
            group="SECRET",
        )
    for i in range(6):  # config / connection strings
        pw = password(r)
        tpl = [
            "database:\n  host: db.internal\n  user: app\n  password: {t}\nこのYAMLの読み込みでエラーが出ます。",
            "DATABASE_URL=postgres://app:{t}@10.0.3.15:5432/sales でDjangoが接続できません",
            "Server=tcp:sqlsrv01;Database=crm;User Id=sa;Password={t}; の接続文字列をappsettings.jsonに書く方法は？",
        ][i % 3]
        b.add(tpl, "sensitive", "password_config", extra={"t": (pw, "SECRET")}, group="SECRET")


# -- confidentiality markers -----------------------------------------------------------------
def markers(b: Builder) -> None:
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


# -- sensitive personal information tied to a person -----------------------------------------
def sensitive_info(b: Builder) -> None:
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


# -- realistic mixed records (signatures, tickets) -------------------------------------------
def mixed(b: Builder) -> None:
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


# ---------------------------------------------------------------------------------------
# Harmless prompts: ID-like numbers, dates, words that look like names, no personal data
# ---------------------------------------------------------------------------------------
# A harmless family: record number -> (template, pre-filled slots: name -> (text, entity)).
HarmlessRecord = tuple[str, dict[str, tuple[str, str | None]]]
HarmlessFamily = Callable[[int], HarmlessRecord]


# ---------------------------------------------------------------------------------------
def build(seed: int = SEED) -> list[dict[str, object]]:
    b = Builder(seed)
    for family in IDENTIFIERS:
        expand_structured(b, family)
    expand_forms(b, ADDRESSES)
    expand_forms(b, EMAILS)
    expand_forms(b, DATES_OF_BIRTH)
    people(b)
    secrets(b)
    markers(b)
    sensitive_info(b)
    mixed(b)
    expand_forms(b, HARMLESS)
    for family in NEW_IDENTIFIERS:
        expand_structured(b, family)
    out = []
    for n, rec in enumerate(b.records, start=1):
        rec = dict(rec)
        prefix = "h" if rec["kind"] == "harmless" else "s"
        rec["id"] = f"{prefix}{n:04d}"
        out.append({k: rec[k] for k in ("id", "text", "expect", "variant", "kind", "group")})
    return out


def dump(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def stats(records: list[dict[str, object]]) -> str:
    kinds = Counter(str(r["kind"]) for r in records)
    per_entity: Counter[str] = Counter()
    per_variant: Counter[tuple[str, str]] = Counter()
    for r in records:
        for e in cast(list[dict[str, str]], r["expect"]):
            per_entity[e["entity"]] += 1
        per_variant[(str(r["group"]), str(r["variant"]))] += 1
    lines = [
        f"records: {len(records)}  sensitive: {kinds['sensitive']}  harmless: {kinds['harmless']}",
        "expected values per entity:",
    ]
    lines += [f"  {k:26s} {v}" for k, v in sorted(per_entity.items())]
    lines.append("records per group/variant:")
    lines += [f"  {g:26s} {v:18s} {n}" for (g, v), n in sorted(per_variant.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="fail if the file is not up to date")
    ap.add_argument("--stats", action="store_true")
    args = ap.parse_args(argv)
    records = build()
    text = dump(records)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(
                f"{args.out} is out of date; run python -m bench.make_quality_set", file=sys.stderr
            )
            return 1
        print("up to date")
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {len(records)} records to {args.out}")
    if args.stats:
        print(stats(records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
