"""Phone numbers, e-mail addresses and web addresses as people type them: full-width
digits and letters, long dashes, spaces. One place folds them (NFKC) and checks that a
phone number has the shape of a Japanese one."""

import re
import unicodedata

# Dashes people type between the parts of a number (ー is the long vowel mark, often typed for one).
_DASHES = re.compile(r"[\-‐‑‒–—―−ー－ｰ]+")
_SPACES = re.compile(r"\s+")
# A Japanese number: 0 then 9 or 10 more digits (固定 0183-72-1234, 携帯 090-1234-5678,
# 0120/0800, 050 IP), in up to three groups; or the short numbers 110, 119, 189, #7119.
_GROUPED = re.compile(r"^0\d{1,4}-\d{1,4}-\d{3,4}$|^\(0\d{1,4}\)\d{1,4}-\d{3,4}$")
_SHORT = re.compile(r"^#?\d{3,4}$")


def fold(text: str) -> str:
    """NFKC without the spaces at the ends: ０９０ → 090, ＠ → @, ｗｗｗ → www."""
    return unicodedata.normalize("NFKC", text or "").strip()


def normalise_phone(text: str) -> str:
    """Half-width digits, one ASCII hyphen between the groups, no spaces (inside a
    number a space stands for a hyphen): ０９０ー１２３４　５６７８ → 090-1234-5678."""
    text = fold(text)
    text = _SPACES.sub("-", text)
    text = _DASHES.sub("-", text).strip("-")
    return text.replace("(-", "(").replace("-)", ")")


def is_phone(text: str) -> bool:
    """Whether a normalised number has a Japanese number's shape."""
    digits = re.sub(r"\D", "", text)
    if _SHORT.match(text):
        return True
    if not digits.startswith("0") or len(digits) not in (10, 11):
        return False
    return bool(_GROUPED.match(text)) or text == digits


def normalise_email(text: str) -> str:
    """ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ → taro@example.jp: NFKC, no spaces, the domain in lower case."""
    text = _SPACES.sub("", fold(text))
    local, at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}" if at else text


def normalise_url(text: str) -> str:
    """NFKC and no spaces; a bare www.… gets https:// in front."""
    text = _SPACES.sub("", fold(text))
    if text.lower().startswith("www."):
        text = "https://" + text
    return text
