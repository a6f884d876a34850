"""Deterministic Japanese business texts for the speed benchmark.

Paragraphs of meeting notes, customer e-mails, HR memos and contracts, built from
templates with a seeded RNG. About one sentence in four carries a sensitive value (a name
with or without honorific, a lone surname, a phone number, an e-mail address, a My Number,
a card number, an address, a password line), as pasted documents do.
"""

from __future__ import annotations

import random

SURNAMES = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
    "森田",
    "石川",
]
GIVEN = ["健一", "誠", "大輔", "直樹", "陽子", "美咲", "翔太", "由美", "拓也", "恵子", "和也", "愛"]
COMPANIES = [
    "株式会社山田商事",
    "東和物産株式会社",
    "株式会社みらいテック",
    "北斗精機株式会社",
    "株式会社青葉ロジスティクス",
    "三光食品株式会社",
]
TOPICS = [
    "新製品の価格戦略",
    "来期の予算配分",
    "物流コストの削減",
    "基幹システムの更新",
    "展示会の出展計画",
    "採用計画の見直し",
    "品質保証体制",
    "顧客満足度調査",
]

PLAIN = [
    "{topic}について、関係部署と調整のうえ改めてご連絡いたします。",
    "前回の会議で決まった{topic}の進め方を、次回までに資料にまとめてください。",
    "{company}との取引条件は、現行の契約を来年三月まで継続する方向で調整中です。",
    "今月の売上は前年同月比で{pct}%増加し、特に関西エリアが好調でした。",
    "第{n}四半期の目標に対する進捗率は{pct}%で、計画どおりに推移しています。",
    "リスクとしては納期の遅れと為替の変動が挙げられ、対策を検討する必要があります。",
    "社内ポータルの更新作業は土曜日の午前中に実施し、その間はログインできません。",
    "見積金額は税抜きで{amount}円となっており、有効期限は発行日から三十日間です。",
    "出張旅費の精算は月末までに経費システムから申請してください。",
    "新しい勤怠管理ツールの説明会を第{n}会議室で行いますので、各自参加してください。",
    "注文番号{order}の商品は、倉庫での検品が終わり次第出荷いたします。",
    "製品型番AB-{n}00の在庫は残り{n}ケースで、追加発注を検討しています。",
    "アンケートの回答率は{pct}%で、自由記述欄には改善要望が多く寄せられました。",
    "契約書の第{n}条に基づき、納品物の検収は受領後十営業日以内に行うものとします。",
]
SENSITIVE = [
    "{surname}{given}様より、{topic}の件でお問い合わせがありました。",
    "担当の{surname}から折り返しお電話いたします。",
    "{surname}さんの携帯は090-{d4}-{d4b}です。",
    "請求書の送付先は{mail}@example.co.jp までお願いします。",
    "{surname}が先方と調整し、来週中に回答する予定です。",
    "お客様の{surname}{given}様（{company}）には、別途ご案内を送付しました。",
    "送付先は〒530-0001 大阪府大阪市北区梅田3丁目1番3号 {company} 総務部です。",
    "社員のマイナンバー 6152 3748 5127 は源泉徴収票の作成にのみ使用します。",
    "カード番号4111 1111 1111 1111の決済が承認されませんでした。",
    "検証環境のパスワード：Tk8#qLm2vX です。",
    "面談には{surname}部長と{surname2}課長が同席します。",
]


def paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 7)):
        pool = SENSITIVE if rng.random() < 0.25 else PLAIN
        template = rng.choice(pool)
        sentences.append(
            template.format(
                topic=rng.choice(TOPICS),
                company=rng.choice(COMPANIES),
                surname=rng.choice(SURNAMES),
                surname2=rng.choice(SURNAMES),
                given=rng.choice(GIVEN),
                pct=rng.randint(2, 40),
                n=rng.randint(1, 9),
                amount=f"{rng.randint(10, 999) * 1000:,}",
                order=rng.randint(10**11, 10**12 - 1),
                d4=rng.randint(1000, 9999),
                d4b=rng.randint(1000, 9999),
                mail=rng.choice(["keiri", "t.sato", "info", "m.kimura"]),
            )
        )
    return "".join(sentences)


def business_text(chars: int, seed: int = 0) -> str:
    """A text of exactly ``chars`` characters (cut at the end), the same for a seed."""
    rng = random.Random(seed * 1_000_003 + chars)
    parts: list[str] = []
    size = 0
    while size < chars:
        p = paragraph(rng) + "\n"
        parts.append(p)
        size += len(p)
    return "".join(parts)[:chars]


def conversation(turns: int, seed: int = 0) -> list[str]:
    """User/assistant turns of a chat that quotes business text, one string per message."""
    rng = random.Random(seed + 7)
    return [paragraph(rng) for _ in range(turns)]
