"""Japanese names for the demo town, each with its reading in katakana.

Given names are grouped by generation, so that an 85-year-old is a キヨ or a 茂 and a
25-year-old a 美咲 or a 翔太. Family names are weighted towards those common in the
south of Akita prefecture.
"""

from typing import NamedTuple


class Name(NamedTuple):
    kanji: str
    kana: str


def _names(text: str) -> tuple[Name, ...]:
    """'佐藤:サトウ 高橋:タカハシ' -> Names."""
    return tuple(Name(*pair.split(":")) for pair in text.split())


def _weighted(text: str) -> tuple[tuple[Name, int], ...]:
    """'佐藤:サトウ:8 ...' -> (Name, weight) pairs."""
    return tuple((Name(kanji, kana), int(weight)) for kanji, kana, weight in (item.split(":") for item in text.split()))


# (name, weight)
FAMILY_NAMES = _weighted(
    """
        佐藤:サトウ:8 高橋:タカハシ:4 佐々木:ササキ:4 菅原:スガワラ:4 鈴木:スズキ:3 伊藤:イトウ:3
        斎藤:サイトウ:2 阿部:アベ:3 小松:コマツ:3 藤原:フジワラ:2 加藤:カトウ:2 工藤:クドウ:2
        三浦:ミウラ:2 武田:タケダ:2 柴田:シバタ:2 千葉:チバ:1 今野:コンノ:2 小野寺:オノデラ:2
        菊地:キクチ:1 照井:テルイ:2 進藤:シンドウ:1 黒沢:クロサワ:1 沓沢:クツザワ:1 京野:キョウノ:1
        相馬:ソウマ:1 村田:ムラタ:1 大友:オオトモ:1 長谷川:ハセガワ:1 成田:ナリタ:1 桜田:サクラダ:1
        石川:イシカワ:1 後藤:ゴトウ:1 田中:タナカ:1 木村:キムラ:1 原田:ハラダ:1 遠藤:エンドウ:1
        小笠原:オガサワラ:1 須田:スダ:1 柳田:ヤナギダ:1 高階:タカシナ:1 真坂:マサカ:1 鎌田:カマタ:1
        奥山:オクヤマ:1 菅:スガ:1 草彅:クサナギ:1 戸嶋:トシマ:1 猿田:サルタ:1 保坂:ホサカ:1
        """
)


# Spelled with an 異体字 (or a different kanji read the same way) on purpose: searching
# 高橋 finds 髙橋, 渡辺 finds 渡邊, キクチ finds both 菊地 and 菊池.
VARIANT_FAMILY_NAMES: tuple[Name, ...] = _names(
    "髙橋:タカハシ 渡邊:ワタナベ 齋藤:サイトウ 沓澤:クツザワ 櫻田:サクラダ 菊池:キクチ 菊地:キクチ"
)

MALE_GIVEN: dict[str, tuple[Name, ...]] = {
    # born before 1956
    "old": _names(
        "清:キヨシ 茂:シゲル 勝:マサル 義男:ヨシオ 和夫:カズオ 光男:ミツオ 昭:アキラ 正一:ショウイチ 武:タケシ "
        "勇:イサム 進:ススム 忠:タダシ 稔:ミノル 三郎:サブロウ 久雄:ヒサオ 弘:ヒロシ"
    ),
    # 1956-1985
    "middle": _names(
        "浩:ヒロシ 博:ヒロシ 隆:タカシ 修:オサム 正樹:マサキ 秀樹:ヒデキ 直樹:ナオキ 一郎:イチロウ 健一:ケンイチ "
        "誠:マコト 浩二:コウジ 賢治:ケンジ 哲也:テツヤ 聡:サトシ 淳:ジュン 剛:ツヨシ 大輔:ダイスケ 和也:カズヤ"
    ),
    # 1986-2007
    "young": _names(
        "翔太:ショウタ 拓也:タクヤ 健太:ケンタ 亮:リョウ 達也:タツヤ 俊介:シュンスケ 大樹:ダイキ 翼:ツバサ "
        "拓海:タクミ 颯太:ソウタ 大和:ヤマト 悠斗:ユウト 駿:シュン 優太:ユウタ"
    ),
    # 2008 and later
    "child": _names("陽翔:ハルト 蓮:レン 悠真:ユウマ 湊:ミナト 大翔:ヒロト 蒼:アオイ 悠人:ユウト 樹:イツキ"),
}

FEMALE_GIVEN: dict[str, tuple[Name, ...]] = {
    "old": _names(
        "トシ:トシ キヨ:キヨ ハル:ハル 静子:シズコ 文子:フミコ 節子:セツコ 幸子:サチコ 和子:カズコ 美代子:ミヨコ "
        "照子:テルコ 久子:ヒサコ ミツ:ミツ 信子:ノブコ 典子:ノリコ"
    ),
    "middle": _names(
        "恵子:ケイコ 洋子:ヨウコ 陽子:ヨウコ 京子:キョウコ 裕子:ユウコ 真由美:マユミ 智子:トモコ 久美子:クミコ "
        "由美:ユミ 明美:アケミ 直美:ナオミ 美香:ミカ 香織:カオリ 純子:ジュンコ 美穂:ミホ"
    ),
    "young": _names(
        "美咲:ミサキ 麻衣:マイ 彩:アヤ 愛:アイ 結衣:ユイ 千尋:チヒロ 奈々:ナナ 沙織:サオリ 遥:ハルカ 優花:ユウカ "
        "萌:モエ 彩花:アヤカ 瑞希:ミズキ"
    ),
    "child": _names("陽菜:ヒナ 結菜:ユイナ 芽依:メイ 凛:リン さくら:サクラ 葵:アオイ 結愛:ユア 心春:コハル"),
}


def generation(birth_year: int) -> str:
    if birth_year < 1956:
        return "old"
    if birth_year < 1986:
        return "middle"
    if birth_year < 2008:
        return "young"
    return "child"
