"""Search keys for Japanese names and phone numbers.

A key folds the differences that do not matter when a worker looks a person up:
full or half width (NFKC), hiragana or katakana (folded to katakana), spaces and
middle dots, Latin case, and a few 異体字 that registers write either way (髙/高).
Keys are stored in indexed columns, so searching is a prefix lookup on an index.
"""

import re
import unicodedata

# A standalone (spacing) sound mark would become a space plus a combining mark under
# NFKC; turn it into the combining mark first so that ｶﾞ, カ゛ and ガ meet.
_SPACING_MARKS = str.maketrans({"\u309b": "\u3099", "\u309c": "\u309a"})

# Hiragana ぁ..ゖ and the iteration marks ゝゞ map to katakana at a fixed offset.
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}
_HIRAGANA_TO_KATAKANA.update({0x309D: 0x30FD, 0x309E: 0x30FE})

# 異体字 commonly found in family names; a search for one finds the other.
_ITAIJI = str.maketrans(
    {
        "髙": "高",
        "﨑": "崎",
        "嵜": "崎",
        "邊": "辺",
        "邉": "辺",
        "濵": "浜",
        "濱": "浜",
        "齋": "斉",
        "齊": "斉",
        "斎": "斉",
        "冨": "富",
        "德": "徳",
        "櫻": "桜",
        "澤": "沢",
        "廣": "広",
        "國": "国",
        "龍": "竜",
    }
)

# Separators people type between family and given name, or inside a reading.
_SEPARATORS = re.compile(r"[\s・･\u30fb\-‐－=＝]+")


def search_key(text: str) -> str:
    """The folded form of a name or reading, for storing and for querying."""
    text = text.translate(_SPACING_MARKS)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(_HIRAGANA_TO_KATAKANA)
    text = text.translate(_ITAIJI)
    text = _SEPARATORS.sub("", text)
    # Casefolding, or dropping the space NFKC put before a combining mark (´ becomes
    # " ́"), can leave a string out of NFKC: normalise last, so a key's key is itself.
    return unicodedata.normalize("NFKC", text)


def to_katakana(text: str) -> str:
    """Hiragana to katakana after NFKC (for storing readings in one script)."""
    text = unicodedata.normalize("NFKC", text.translate(_SPACING_MARKS))
    return text.translate(_HIRAGANA_TO_KATAKANA)


def phone_key(text: str) -> str:
    """Only the digits of a phone number (０９０-１２３４ and 090 1234 meet)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())


_KANA_ONLY = re.compile(r"^[\u30a0-\u30ff\u3040-\u309f\uff66-\uff9f\s・･ー゛゜\u3099\u309a]*$")


def is_kana(text: str) -> bool:
    """Whether a reading holds only kana (either script, any width) and spaces."""
    return bool(_KANA_ONLY.match(text))
