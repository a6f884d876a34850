"""Harmless prompts (kind ``harmless``): ID-like numbers (order, tracking, JAN, invoice,
part numbers), versions, prices, business dates, quantities, configuration without secrets,
generic HR/health and security talk, words that look like names or secrets, place names.
Nothing in them may be changed. Some templates are f-strings built for every record (all
their draws happen, in order), so they stay inside their draw."""

from __future__ import annotations

import random

from bench.quality_set.checks import ean_check
from bench.quality_set.engine import Form, FormFamily, Sample
from bench.quality_set.values import Gen, rand, to_era


def order12(g: Gen, force_valid: bool) -> str:
    return g.my_number() if force_valid else g.digits(12, True)


def jan(g: Gen) -> str:
    r = g.r
    first = r.choice(["45", "49"]) + g.digits(10)
    return first + ean_check(first)


def version(r: random.Random) -> str:
    return r.choice(
        [
            f"v{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 30)}",
            f"{r.randint(0, 4)}.{r.randint(0, 30)}.{r.randint(0, 12)}",
            f"v{r.randint(1, 3)}.{r.randint(0, 9)}.{r.randint(0, 9)}-rc.{r.randint(1, 5)}",
        ]
    )


def _order_number(g: Gen, i: int) -> Sample:
    o = order12(g, i % 2 == 0)
    t = [
        "注文番号 {o} の配送状況を問い合わせるメール文を作って。",
        "注文番号：{o}\n商品の返品手順をお客様向けに説明する文章を書いて。",
        "受注番号{o}の請求金額が二重計上されています。経理への報告文を。",
        "発注番号 {o} の納期遅延について仕入先に催促するメールを。",
    ][i % 4]
    return Sample(template=t, extra={"o": (o, None)})


def _tracking_number(g: Gen, i: int) -> Sample:
    o = order12(g, i % 2 == 1)
    if i % 4 == 3:
        o = f"{o[:4]}-{o[4:8]}-{o[8:]}"
    t = [
        "お問い合わせ伝票番号 {o} の荷物が届かないときの確認手順を教えて。",
        "追跡番号{o}のステータスが「持戻」になっています。再配達依頼の文面を。",
    ][i % 2]
    return Sample(template=t, extra={"o": (o, None)})


def _jan_code(g: Gen, i: int) -> Sample:
    t = [
        "JANコード {o} の商品を棚に並べる時のPOPを作って",
        "POSに JAN:{o} を登録したら重複エラーになりました。",
        "バーコード（{o}）の読み取りができない原因を列挙して。",
        "商品マスタCSVのJAN列（例 {o}）が指数表記に化けるのを防ぐ方法は？",
    ][i % 4]
    return Sample(template=t, extra={"o": (jan(g), None)})


def _invoice_number(g: Gen, i: int) -> Sample:
    r = g.r
    y = r.randint(2023, 2025)
    o = r.choice(
        [
            f"INV-{y}-{r.randint(1, 9999):06d}",
            f"{y}{r.randint(1, 12):02d}-{r.randint(1, 999):04d}",
            f"{y}-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}",
        ]
    )
    t = [
        "請求書番号 {o} の支払期日を過ぎています。督促メールの文案を。",
        "見積No.{o} の有効期限を延長する旨の連絡文を作って。",
    ][i % 2]
    return Sample(template=t, extra={"o": (o, None)})


def _version(g: Gen, i: int) -> Sample:
    r = g.r
    py = (
        f"3.{r.randint(8, 11)}.{r.randint(0, 12)}",
        f"3.{r.randint(12, 13)}.{r.randint(0, 5)}",
    )
    node = (
        f"{r.randint(16, 18)}.{r.randint(0, 20)}.{r.randint(0, 9)}",
        f"{r.randint(20, 22)}.{r.randint(0, 12)}.{r.randint(0, 9)}",
    )
    lib = (version(r), version(r))
    a, c = (py, lib, node, lib)[i % 4]
    t = [
        "Python {a} から {c} へ上げる際の注意点は？",
        "ライブラリを {a} に更新したらビルドが失敗します。{c} では動いていました。",
        "Node.js {a} と {c} の違いを表にして。",
        "リリースノート {a} の変更点を社内向けに3行でまとめて。",
    ][i % 4]
    return Sample(template=t, extra={"a": (a, None), "c": (c, None)})


def _price(g: Gen, i: int) -> Sample:
    r = g.r
    p = f"{r.randint(1, 9999) * 1000 + r.randint(0, 999):,}"
    t = [
        "見積金額は ¥{p}（税抜）です。値引き交渉のメール文を考えて。",
        "予算{p}円でPCを20台調達する場合の選定基準を。",
        "売上目標 {p} 円を四半期ごとに按分した表を作って。",
        "請求額 ￥{p} の内訳を説明する文章を作って。",
    ][i % 4]
    return Sample(template=t, extra={"p": (p, None)})


def _business_date(g: Gen, i: int) -> Sample:
    r = g.r
    y, m, d = r.randint(2023, 2026), r.randint(1, 12), r.randint(1, 28)
    era, ey, _ = to_era(y, m, d)
    t = [
        f"会議は{y}年{m}月{d}日の14時からです。案内文を作って。",
        f"締切 {era}{ey}年{m}月{d}日 の提出物リストを作成して。",
        f"{y}/{m:02d}/{d:02d}締めの決算資料の構成を考えて。",
        "当社は平成元年に創業しました。創業35周年の挨拶文を作って。",
        f"令和元年度と{era}{ey}年度の予算比較のグラフの作り方は？",
        f"{y}-{m:02d}-{d:02d} 10:00〜11:30 定例会の議題案を出して。",
        f"{m}月{d}日（{r.choice('月火水木金')}）に社内研修を行います。告知文を作って。",
        f"納期は{y}年{m}月末です。工程表を作って。",
        "昭和の時代から続く老舗の歴史を紹介するコラムを書いて。",
        f"{y}年{m}月{d}日に新オフィスへ移転します。取引先向けのお知らせを作って。",
    ][i % 10]
    return Sample(template=t)


def _time_quantity(g: Gen, i: int) -> Sample:
    r = g.r
    t = [
        f"在庫が{r.randint(100, 9999):,}個、{r.randint(2, 40)}ケースあります。棚卸し表の形式を提案して。",
        f"{r.randint(8, 11)}:{r.choice(['00', '15', '30', '45'])}〜{r.randint(13, 18)}:00 のシフトを3人で回す方法は？",
        f"重量{r.randint(1, 99)}kg、容積{r.randint(1, 9)}.{r.randint(0, 9)}m³ の荷物の運送料金の目安は？",
        f"{r.randint(2, 300)}名参加のイベントで必要な椅子と机の数を計算して。",
    ][i % 4]
    return Sample(template=t)


def _part_number(g: Gen, i: int) -> Sample:
    r = g.r
    o = r.choice(
        [
            f"{rand(r, 2, 'ABCDEFGHJKLMNPRSTUVWXYZ')}{g.digits(7)}",
            f"{rand(r, 3, 'ABCDEFGHJKLMNPRSTUVWXYZ')}-{g.digits(5)}",
            f"LT{r.randint(2023, 2025)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}-{r.randint(1, 9):02d}",
        ]
    )
    t = [
        "品番 {o} の在庫を確認する社内チャットの文面を。",
        "型番{o}の後継機種を比較する表を作って。",
        "ロット番号 {o} の不良品について品質報告書の構成を考えて。",
        "部品コード {o} を発注書に追記してください。",
    ][i % 4]
    return Sample(template=t, extra={"o": (o, None)})


def _isbn_misc_numbers(g: Gen, i: int) -> Sample:
    r = g.r
    t = [
        f"ISBN 978-4-{r.randint(10, 99)}-{r.randint(100000, 999999)}-{r.randint(0, 9)} の書籍の要約を書いて。",
        f"エラーコード 0x{rand(r, 8, '0123456789ABCDEF')} の意味を調べて。",
        f"年率{r.randint(1, 9)}.{r.randint(0, 99):02d}%で{r.randint(1, 30)}年運用した場合の複利計算を。",
        f"社内規程 第{r.randint(1, 40)}条第{r.randint(1, 5)}項 の改定案を作って。",
    ][i % 4]
    return Sample(template=t)


def _config_no_secret(g: Gen, i: int) -> Sample:
    r = g.r
    t = [
        f"server:\n  port: {r.choice([8080, 3000, 5432, 8443])}\n  timeout: {r.randint(5, 60)}\n  retries: {r.randint(1, 5)}\nlog_level: info\nこの設定の意味を説明して。",
        f"docker run -p {r.randint(3000, 9000)}:80 -e TZ=Asia/Tokyo nginx:1.{r.randint(20, 27)} が起動しません。",
        'password = os.environ["DB_PASSWORD"] のように環境変数から読む書き方で安全ですか？',
        "パスワードの最低文字数と複雑さの要件を社内規程にまとめて。",
        f"max_connections={r.randint(50, 500)}, shared_buffers={r.randint(1, 16)}GB のPostgreSQL設定を評価して。",
    ][i % 5]
    return Sample(template=t)


def _hr_generic_health(g: Gen, i: int) -> Sample:
    t = [
        "うつ病の社員への対応方法を管理職向けにまとめて。",
        "がん治療と仕事の両立支援制度の概要を説明して。",
        "障害者雇用の法定雇用率について最新の情報を教えて。",
        "健康診断の受診率を上げる施策を5つ挙げて。",
        "適応障害で休職した社員が復職するときの一般的な流れは？",
        "妊娠中の従業員に対して会社が配慮すべき法的義務は？",
        "ストレスチェック制度の実施手順を説明して。",
        "前科のある応募者の採用判断について一般論を教えて。",
    ][i % 8]
    return Sample(template=t)


def _security_confidentiality(g: Gen, i: int) -> Sample:
    t = [
        "情報セキュリティの機密性・完全性・可用性の違いを説明して。",
        "NDA（秘密保持契約）のひな形を作って。",
        "機密保持契約書の損害賠償条項の一般的な書き方は？",
        "社外秘文書の取扱い規程の条文案を作成して。",
        "Confidential Computing とは何か、初心者向けに説明して。",
        "機密情報の分類レベル（公開・社内・機密）の定義例を作って。",
        "秘密保持義務の存続期間は何年が一般的ですか？",
        "情報漏えい事故が起きたときの初動対応フローを作って。",
    ][i % 8]
    return Sample(template=t)


def _hi_words(g: Gen, i: int) -> Sample:
    t = [
        "秘書検定2級の勉強方法を教えて。",
        "神秘的な雰囲気のキャッチコピーを考えて。",
        "営業の秘訣を新人向けに5つ挙げて。",
        "便秘に効く食べ物を社内報のコラム用に紹介して。",
    ][i % 4]
    return Sample(template=t)


def _place_names(g: Gen, i: int) -> Sample:
    t = [
        "大阪支社と東京本社の合同研修の案内文を作って。",
        "名古屋営業所の移転に伴う社内通知を作成して。",
        "横浜市の人口推移を説明して。",
        "福岡と札幌の出張費の相場を比較して。",
        "京都でおすすめの会食場所の条件を整理して。",
        "新宿駅から渋谷駅への移動手段を比較して。",
    ][i % 6]
    return Sample(template=t)


def _name_like_words(g: Gen, i: int) -> Sample:
    t = [
        "真理を追求する研究者の姿勢についてスピーチ原稿を。",
        "希望退職の募集要項の一般的な項目を教えて。",
        "誠実さを評価項目に入れるときの行動指標を作って。",
        "光回線の工事日程を調整するテンプレートを作って。",
        "大和言葉を使った季節の挨拶文を考えて。",
        "春の桜と秋の紅葉をテーマにした社内イベントの企画を。",
    ][i % 6]
    return Sample(template=t)


def _generic_business(g: Gen, i: int) -> Sample:
    t = [
        "来月の全社会議のアジェンダ案を作ってください。",
        "ソニーと任天堂のゲーム事業の違いを3行で。",
        "電話番号の入力欄に全角数字が入ると困る。バリデーションの正規表現を教えて。",
        "メールアドレスの形式チェックをするJavaScriptを書いて。",
        "顧客満足度アンケートの設問案を10個作って。",
        "クレジットカード決済を導入する際のPCI DSSの要点は？",
        "マイナンバーの安全管理措置について中小企業向けに説明して。",
        "郵便番号から住所を自動入力する機能の作り方は？",
    ][i % 8]
    return Sample(template=t)


HARMLESS = FormFamily(
    None,
    (
        Form("order_number", 26, _order_number),
        Form("tracking_number", 16, _tracking_number),
        Form("jan_code", 16, _jan_code),
        Form("invoice_number", 14, _invoice_number),
        Form("version", 16, _version),
        Form("price", 16, _price),
        Form("business_date", 20, _business_date),
        Form("time_quantity", 12, _time_quantity),
        Form("part_number", 14, _part_number),
        Form("isbn_misc_numbers", 8, _isbn_misc_numbers),
        Form("config_no_secret", 10, _config_no_secret),
        Form("hr_generic_health", 16, _hr_generic_health),
        Form("security_confidentiality", 16, _security_confidentiality),
        Form("hi_words", 8, _hi_words),
        Form("place_names", 12, _place_names),
        Form("name_like_words", 12, _name_like_words),
        Form("generic_business", 16, _generic_business),
    ),
    kind="harmless",
    group="harmless",
)
