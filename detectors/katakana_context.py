"""Katakana words in prose: the words around them say whether they are people.

A foreign name written in katakana (ナーセル, ロッキー・ロメロ) is, word for word, just an
unknown katakana word, and so are brands, clubs and places (ハセガワ, ジロンダン・ボルドー,
アイラ). Sudachi knows few of either, and GiNZA calls nearly every ・ chain a Person. The
sentence decides, the way a reader decides:

- a title or a kinship word right after (ナーセル大統領, ビュート伯爵, ギネス家の, アーサー王,
  ヨハネ・パウロ2世) or a role right before (俳優のギグ・ヤング, 教授カール・クリングラー,
  母・タマエ, FW ウェリントン) makes it a person;
- the head noun of a thing right after (…戦, …選手権, …製, …社, …線, …賞, …大学, …島) or a
  Latin code glued before (FCジロンダン・ボルドー, JPモルガン) makes it a part of a name
  of a thing, not a person.

Only the word's neighbours count; nothing here lists names.
"""

from __future__ import annotations

import regex as re

# One katakana word, or a chain of them joined by ・ or = (ジョルジュ・ド・ボールガール).
KATAKANA_RUN = re.compile(
    r"(?<![ァ-ヴー])(?<![ァ-ヴー][・=＝])[ァ-ヴ][ァ-ヴー]*(?:[・=＝][ァ-ヴ][ァ-ヴー]*)*(?![ァ-ヴー])"
)

# Titles, ranks and family words that follow a person's name. Occupations (選手, 監督…)
# follow sports and genres too (ラグビー選手, アニメ監督), so they name a person only
# after a word no dictionary knows as a common noun.
_TITLES = (
    "大統領 副大統領 首相 元首相 知事 州知事 市長 議員 上院議員 下院議員 大臣 外相 蔵相 国務長官"
    " 長官 司令官 総督 提督 元帥 大将 中将 少将 大佐 中佐 少佐 大尉 中尉 将軍 伯爵 公爵 侯爵 男爵"
    " 子爵 辺境伯 女王 国王 皇帝 皇太子 王子 王女 王妃 教皇 司教 大司教 牧師 神父 枢機卿 学長"
    " 総長 書記長 議長 夫人 夫妻 兄弟 姉妹 一家 一族 両人 父子 母子 親子 容疑者 被告 氏 さん 様"
    " 殿下 陛下 卿 姫 自身 本人"
).split()
_OCCUPATIONS = "監督 選手 投手 捕手 騎手 教授 准教授 博士 社長 会長 委員長 先生".split()
_TITLE_TAIL = r")(?!権|名)"
_TITLE_AFTER = re.compile(
    r"[ \u3000]?(?:"
    + "|".join(sorted(_TITLES, key=len, reverse=True))
    # ヨハネ・パウロ2世, アーサー王 (not 王国, 王者), アクバル帝, ヴァレンベリ家の
    + r"|[0-9０-９一二三四五六七八九十]{1,2}世|王(?![国者座朝室道立冠位]|[ァ-ヴ])|帝(?![国都政])"
    + r"|家(?=[のはがにをとで])|姓(?=[のはがでを])"
    + _TITLE_TAIL
)
_OCCUPATION_AFTER = re.compile(
    r"[ \u3000]?(?:" + "|".join(sorted(_OCCUPATIONS, key=len, reverse=True)) + _TITLE_TAIL
)
# Roles that come before a person's name, joined by の, ・, 、, である or nothing.
_ROLES = (
    "俳優 女優 歌手 作家 小説家 画家 詩人 作曲家 作詞家 指揮者 演奏家 ピアニスト ヴァイオリニスト"
    " バイオリニスト 監督 選手 教授 博士 記者 司会者 プロデューサー ディレクター デザイナー 建築家"
    " 哲学者 経済学者 数学者 物理学者 化学者 学者 研究者 政治家 大統領 首相 国王 皇帝 将軍 提督"
    " 妻 夫 父 母 息子 娘 兄 弟 姉 妹 祖父 祖母 叔父 叔母 伯父 伯母 長男 次男 三男 長女 次女"
    " 夫人 友人 恋人 弟子 師匠 秘書 同僚 部下 上司 主人公 ボーカル ボーカリスト ギタリスト ドラマー"
    " ベーシスト メンバー 助手 副官 社長 会長 CEO 創業者 創設者 評論家 批評家 翻訳家 漫画家 脚本家"
    " 演出家 写真家 彫刻家 音楽家 実業家 投資家 銀行家 弁護士 医師 外交官 司令官"
    " 人物 王子 王女 司祭 宣教師 神学者 歴史家 探検家 飛行士 レスラー プロレスラー ボクサー 騎手 モデル"
    " コーチ 後継者 前任者 後任 出身の FW MF DF GK"
).split()
_ROLE_BEFORE = re.compile(
    r"(?:"
    + "|".join(sorted(_ROLES, key=len, reverse=True))
    + r")(?:の|・|、|である|であった|だった)?[ \u3000]?$"
)
# Head nouns of things named after a word: a match, a championship, a maker, a line…
_THINGS = (
    "戦 選手権 製 社 線 賞 大学 空港 地区 島 級 航空 部門 公園 州 市 町 村 通り 号 型 式 系 語"
    " 派 教 川 山 湖 ダム 駅 港 城 宮殿 寺 教会 病院 劇場 大会 杯 記念 国際 財団 研究所 工場 銀行"
    " 鉄道 朝 症 効果 法 計画 作戦 事件 条約 運動 主義 時代 王朝 帝国 王国 共和国 連邦 地方 半島"
    " 諸島 広場 盃 党 政権 協会 造船所 歴史地区 TV FC SC"
).split()
_THING_AFTER = re.compile(r"[ \u3000]?(?:" + "|".join(sorted(_THINGS, key=len, reverse=True)) + ")")


# Kinds of things whose name may follow, joined by の, では or nothing (模型メーカーの
# タミヤ, タバコブランドのベンソン, 不動産会社ゼウス).
_KINDS = (
    "会社 企業 メーカー ブランド チーム クラブ バンド ロックバンド グループ レーベル 雑誌 番組"
    " 映画 アルバム シングル 楽曲 作品 小説 ドラマ アニメ ゲーム ホテル レストラン 店 車 機 艦 船"
    " 銘柄 商品 製品 品種 香水 施設 団体 政党"
).split()
_KIND_BEFORE = re.compile(
    r"(?:" + "|".join(sorted(_KINDS, key=len, reverse=True)) + r")(?:の|では|、)?$"
)
# What only a person has, after の: ブライアンの秘書, テルフォードの妻, ナーセルの死.
_KIN_AFTER = re.compile(
    r"の(?:妻|夫|息子|娘|父|母|兄|弟|姉|妹|祖父|祖母|孫|甥|姪|秘書|代理人|弟子|遺族|未亡人|伝記|自伝"
    r"|葬儀|死(?![者亡角])|遺体|遺言|生涯|晩年|没後|生家|墓|恋人|愛人|婚約者)"
)
# What a person does, as the subject of the clause (…は/が … 死去した, 脱退して, 述べた);
# the verb must come before the clause ends.
_PERSON_VERB = re.compile(
    r"[はが](?:[^。\n]{0,24}?)(?:生まれ|死去|亡くな|結婚|離婚|就任|辞任|退任|引退|脱退|入団|逮捕"
    r"|述べ|語っ|告白|主演し|演じ|卒業し|留学|師事|暗殺|処刑|即位|退位|亡命|入隊|退職|辞職|改名|率い|戦死)"
)
# Japanese title quotes (code quotes values in ASCII ones: name_kana: "ヤマダ タロウ").
_ROLE_WORDS = frozenset(_ROLES) | frozenset(_KINDS)
_QUOTES = {"「": "」", "『": "』", "〈": "〉", "《": "》"}


def person_context(text: str, start: int, end: int, dictionary_word: bool = False) -> bool:
    """A title or family word right after the word, or a role right before it.
    ``dictionary_word``: the word is a common noun too (アリステア, マーク), so an
    occupation after it is not enough (ラグビー選手)."""
    word = text[start:end]
    if word in _ROLE_WORDS:
        return False  # 作詞家、プロデューサー: a list of roles
    if _TITLE_AFTER.match(text, end):
        return True
    if not dictionary_word and _OCCUPATION_AFTER.match(text, end):
        return True
    if _KIN_AFTER.match(text, end):
        return True  # ブライアンの秘書: what only a person has
    if not dictionary_word and _PERSON_VERB.match(text, end):
        return True  # オルリンスキは…率い: a word no dictionary knows, doing what people do
    return _ROLE_BEFORE.search(text, max(0, start - 12), start) is not None


# A word for a name and its particle, before a quoted name (名札に「オカモト」); person.py
# reads the quoted name after it.
NAME_WORD = r"(?:名札|ネームプレート|名前|名字|苗字|署名|サイン)(?:に|には|は|が|の|を)?"
_NAME_WORD_BEFORE = re.compile(NAME_WORD + "$")


def thing_context(text: str, start: int, end: int) -> bool:
    """The word is a part of the name of a thing: a head noun follows, a Latin code is
    glued before it (FCジロンダン・ボルドー, JPモルガン), a kind of thing comes before it
    (模型メーカーのタミヤ) or quotes enclose it (a title)."""
    if _TITLE_AFTER.match(text, end) or _OCCUPATION_AFTER.match(text, end):
        return False
    if _THING_AFTER.match(text, end):
        return True
    quoted = start > 0 and end < len(text) and _QUOTES.get(text[start - 1]) == text[end]
    if (
        quoted
        and not any(c.isspace() for c in text[start:end])
        and not _NAME_WORD_BEFORE.search(text, max(0, start - 6), start - 1)
    ):
        # 「アイ・ラブ・ルーシー」 is a title; 「ヤマダ タロウ」 is a reading; 名札に「オカモト」
        # is what the name tag said
        return True
    if _KIND_BEFORE.search(text, max(0, start - 8), start):
        return True
    if start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
        return _ROLE_BEFORE.search(text, max(0, start - 4), start) is None
    return False
