"""Structured identifiers, each written in every writing variant (see ``STRUCT_VARIANTS``):
My Number, 法人番号, phone numbers by kind, postal codes with their address, cards, bank
accounts, passport, licence, residence card, pension number; and, added after the first
release (generated last so earlier ids stay), health/employment insurance and 住民票コード."""

from __future__ import annotations

import random

from bench.quality_set.engine import Drawn, Slots, StructuredFamily
from bench.quality_set.values import Gen, card_exp, insurer_number
from bench.quality_set.vocabulary import AREAS

T_MY_NUMBER = (
    "社員のマイナンバー {v} を源泉徴収票に記載する方法を教えてください。",
    "扶養控除等申告書の記入例を作りたいです。本人：{name}、個人番号 {v}、{dept}所属。",
    "マイナンバー：{v}\n氏名：{name}\nこの内容で年末調整の案内メールを作成して。",
    "{sei}さんから個人番号 {v} を預かりました。保管ルールを社内向けにまとめて。",
    "以下の従業員情報をExcelの列に整理して。{name}／マイナンバー {v}／入社日 {meeting}",
    "個人番号カードの番号が {v} と表示されるのですが、桁数は合っていますか？",
)
T_CORPORATE = (
    "当社の法人番号は {v} です。取引先登録フォームの入力例を作って。",
    "{company}（法人番号 {v}）との業務委託契約書のドラフトをお願いします。",
    "請求書の登録番号が T{v} となっていますが、インボイス制度上の記載として正しいですか？",
    "取引先マスタに法人番号 {v} を追加するSQLを書いて。会社名は{company}です。",
    "国税庁の公表サイトで法人番号 {v} を検索した結果を要約して。",
)
T_PHONE = (
    "{sei}様の連絡先は {v} です。明日の打ち合わせの案内文を作ってください。",
    "お客様（{name}様）から電話番号 {v} に折り返し希望がありました。対応メモを整えて。",
    "携帯 {v} にショートメッセージを送る文面を考えて。宛先は{sei}さん。",
    "担当の{sei}から折り返しお電話いたします（直通 {v}）。この文を丁寧に直して。",
    "問い合わせフォームに「TEL: {v}」と入力されたチケットの返信案を書いて。",
    "緊急連絡先：{v}（{sei}）\n上記を社内連絡網のフォーマットに整形して。",
)
T_POSTAL = (
    "〒{v} {addr} に書類を郵送する際の送付状を作って。",
    "郵便番号 {v} の住所宛てに請求書を送ります。宛名は{name}様です。封筒の書き方は？",
    "お届け先：〒 {v} {addr}（{sei}様）の配送ラベルを作って。",
    "住所変更届：新住所 〒{v} {addr}。{name}さんの社内手続きのチェックリストを。",
    "顧客データの郵便番号欄に {v} と入っている行の住所を補完する方法は？",
)
T_CARD = (
    "カード番号 {v} で決済できない理由を教えて。",
    "お客様からクレジットカード番号 {v}（有効期限 {exp}）で申し込みがありました。確認メールを作って。",
    "{brand}のカード {v} の利用明細について、{sei}様への回答文を考えて。",
    "決済ログにcard_number={v} が平文で出ています。マスキングの実装方法は？",
    "カード：{v}\n名義：{name_roma}\nこの情報で予約確認書を作成して。",
)
T_BANK = (
    "振込先は{bank} {branch}支店 普通預金 口座番号 {v} です。振込依頼のメール文を作って。",
    "給与振込口座の変更：{bank}{branch}支店 普通 {v} 名義 {holder_half}。人事への連絡文を作成して。",
    "返金先口座（{bank} {branch}支店 当座 {v}）を{sei}様に確認するメールを書いて。",
    "経費精算の振込先：{bank} {branch}支店 普通 口座番号:{v} 口座名義:{name_kana}",
    "以下の支払い先を全銀フォーマットに変換して。{bank} {branch}支店 普通 {v} {holder_half}",
)
T_PASSPORT = (
    "旅券番号 {v} の有効期限を確認したい。{name}さんの出張手配です。",
    "海外出張者リスト：{name}、パスポート番号 {v}、渡航先シンガポール。ビザ申請書の下書きを。",
    "ホテル予約にPassport No. {v} が必要です。{sei}様向けの案内メールを作って。",
    "パスポート（{v}）を紛失したときの社内報告書のテンプレートを作って。氏名：{name}",
    "航空券の予約で旅券番号欄に {v} と入力したらエラーになりました。原因は？",
)
T_LICENCE = (
    "運転免許証番号 {v} の社用車使用申請を作成して。申請者：{name}",
    "免許証の番号は第 {v} 号です。レンタカー予約フォームの記入例を作って。",
    "{sei}さんの免許証番号 {v} を社用車管理台帳に登録する手順を教えて。",
    "本人確認書類：運転免許証（番号 {v}）。口座開設の確認メールを書いて。",
    "免許番号:{v} 有効期限の更新案内を{name}様宛てに作って。",
)
T_RESIDENCE = (
    "在留カード番号 {v} の外国籍社員の在留期間更新手続きを教えて。",
    "{name_roma}さん（在留カード {v}）の雇用契約書を英語と日本語で作成して。",
    "採用予定者の在留カードの番号が {v} です。就労制限の確認方法は？",
    "外国人雇用状況届出書の記入例：在留カード番号 {v}、氏名 {name_roma}",
    "Residence Card No. {v} を持つ派遣スタッフの入館申請メールを作って。",
)
T_PENSION = (
    "基礎年金番号 {v} の従業員の資格取得届の書き方を教えて。",
    "{name}さんの年金手帳の番号は {v} です。入社手続きのメールを作成して。",
    "ねんきん定期便に記載の基礎年金番号 {v} について年金事務所への問い合わせ文を。",
    "社会保険の手続き：氏名 {name}、基礎年金番号:{v}、入社日 {meeting}",
    "基礎年金番号通知書の番号 {v} を人事システムに登録したらエラーになりました。",
)


def _my_number(g: Gen, variant: str) -> Drawn:
    n = g.my_number()
    return Drawn([n[0:4], n[4:8], n[8:12]], g.r.choice(["", "", "-", " "]))


def _corporate(g: Gen, variant: str) -> Drawn:
    n = g.corporate()
    return Drawn([n[0], n[1:5], n[5:9], n[9:13]], g.r.choice(["", "", "", "-"]))


def _phone(kind: str) -> StructuredFamily:
    def draw(g: Gen, variant: str) -> Drawn:
        groups = g.phone(kind)
        return Drawn(groups, "-" if groups[0] != "+81" else g.r.choice(["-", " "]))

    return StructuredFamily(
        "PHONE_NUMBER", T_PHONE, draw, per_variant=2, group=f"PHONE_NUMBER/{kind}"
    )


def _postal(g: Gen, variant: str) -> Drawn:
    """A postal code comes with the matching address (the template's {addr} slot)."""
    area = g.r.choice(AREAS)
    return Drawn(str(area[3]).split("-"), "-", ctx={"area": area})


def _card(g: Gen, variant: str) -> Drawn:
    number, sizes, brand = g.card()
    groups, pos = [], 0
    for size in sizes:
        groups.append(number[pos : pos + size])
        pos += size

    def late(r: random.Random) -> Slots:
        return {"exp": (card_exp(r), None), "brand": (brand, None)}

    return Drawn(groups, g.r.choice(["", " ", "-", " "]), late=late)


def _bank(g: Gen, variant: str) -> Drawn:
    """A 7-digit account; with separators it is written 店番-口座番号."""
    account = g.digits(7)
    if variant in ("dash_variant", "spaced"):
        return Drawn([g.digits(3, True), account], "-")
    return Drawn([account], "")


IDENTIFIERS: tuple[StructuredFamily, ...] = (
    StructuredFamily("JP_MY_NUMBER", T_MY_NUMBER, _my_number),
    StructuredFamily("JP_CORPORATE_NUMBER", T_CORPORATE, _corporate),
    *(_phone(kind) for kind in ("mobile", "landline", "freedial", "ip050", "intl")),
    StructuredFamily("JP_POSTAL_CODE", T_POSTAL, _postal),
    StructuredFamily("CREDIT_CARD", T_CARD, _card),
    StructuredFamily("JP_BANK_ACCOUNT", T_BANK, _bank),
    StructuredFamily("JP_PASSPORT", T_PASSPORT, lambda g, v: Drawn(g.passport(), "")),
    StructuredFamily(
        "JP_DRIVER_LICENSE", T_LICENCE, lambda g, v: Drawn(g.licence(), g.r.choice(["", "-", ""]))
    ),
    StructuredFamily("JP_RESIDENCE_CARD", T_RESIDENCE, lambda g, v: Drawn(g.residence(), "")),
    StructuredFamily(
        "JP_PENSION_NUMBER", T_PENSION, lambda g, v: Drawn(g.pension(), g.r.choice(["-", "-", ""]))
    ),
)

T_HEALTH_SYMBOL = (
    "健康保険証の記号・番号は {v} です。扶養追加の手続きを教えて。",
    "{name}さんの被保険者証記号・番号 {v} を資格確認書の申請書に書く欄はどこ？",
    "保険証（記号番号 {v}）を紛失したときの再発行メールを作って。",
    "資格確認書に記載の記号・番号: {v} を人事システムへ登録したい。",
    "協会けんぽの保険証、記号・番号 {v} の従業員が退職します。返却の案内文を。",
)
T_HEALTH_INSURER = (
    "保険者番号 {v} の健康保険組合に提出する書類を教えて。",
    "{name}さんの保険証の保険者番号は {v} です。限度額適用認定証の申請方法は？",
    "資格確認書に保険者番号 {v} とあります。どこの健保ですか？",
    "国民健康保険の保険者番号:{v} の自治体への問い合わせ文を作成して。",
    "被保険者証の保険者番号 {v} を入力するとエラーになります。",
)
T_EMPLOYMENT = (
    "雇用保険被保険者番号 {v} の離職票の書き方を教えて。",
    "{name}さんの雇用保険の番号は {v} です。資格取得届を作成して。",
    "ハローワークに提出する書類：被保険者番号 {v}、氏名 {name}",
    "離職票に記載の雇用保険被保険者番号:{v} が前職と違うようです。",
    "雇用保険被保険者証の番号 {v} を再発行してもらう手順は？",
)
T_RESIDENT_CODE = (
    "住民票コード {v} を社員台帳に記録してよいですか？",
    "{name}さんの住民票コードは {v} です。年金の手続きに使えますか。",
    "住民票コード：{v} が記載された住民票の写しを受け取りました。",
    "マイナンバーの代わりに住民票コード {v} を使う場合の注意点を教えて。",
    "申請書の住民票コード欄に {v} と書いてしまいました。訂正方法は？",
)


def _health_symbol(g: Gen, variant: str) -> Drawn:
    r = g.r
    return Drawn([g.digits(r.choice([4, 5, 8]), True), g.digits(r.choice([1, 2, 3, 5]), True)], "-")


def _employment(g: Gen, variant: str) -> Drawn:
    groups = [g.digits(4, True), g.digits(6), g.digits(1)]
    return Drawn(groups, g.r.choice(["-", "-", ""]))


NEW_IDENTIFIERS: tuple[StructuredFamily, ...] = (
    StructuredFamily("JP_HEALTH_INSURANCE", T_HEALTH_SYMBOL, _health_symbol, per_variant=3),
    StructuredFamily(
        "JP_HEALTH_INSURANCE", T_HEALTH_INSURER, lambda g, v: Drawn([insurer_number(g)], ""), 3
    ),
    StructuredFamily("JP_EMPLOYMENT_INSURANCE", T_EMPLOYMENT, _employment, per_variant=3),
    StructuredFamily(
        "JP_RESIDENT_CODE", T_RESIDENT_CODE, lambda g, v: Drawn([g.digits(11, True)], ""), 3
    ),
)
