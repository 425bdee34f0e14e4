"""Full-text search over Japanese text: folding, grams and highlighted snippets.

Text is folded like a name search key (`tsunagu.lib.kana.search_key`, applied to each
character with its combining marks): full or half width, hiragana or katakana, Latin
case, a few 異体字, and spaces and middle dots dropped. Fields of one record are joined
with FIELD_BREAK, which no gram spans and no query can contain. A record is indexed by
the set of its folded characters (unigrams, for 1-character queries) and pairs of
neighbouring characters (bigrams); a query of n characters needs all its bigrams (or its
one unigram), and the candidates are then checked against the folded text, so nothing
is shown that does not contain the query.

A gram is a 32-bit signed integer: a unigram is its code point, a bigram the two code
points side by side (the first is never 0, so the two kinds never meet), shifted into
the signed range PostgreSQL's int4 holds. Characters outside the Basic Multilingual
Plane share a few code points of the private use area (a false candidate at worst,
which the check against the text removes).
"""

import re
from collections.abc import Iterable
from itertools import pairwise

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tsunagu.lib.kana import search_key

FIELD_BREAK = "\x1f"
_SHIFT = 2**31
# Combining marks stay with the character before them when folding one at a time.
_CLUSTER = re.compile(r"(?s).[\u0300-\u036f\u3099-\u309c\uff9e\uff9f]*")


def fold(text: str) -> str:
    """The folded text: each field folded like a name key, fields kept apart."""
    return FIELD_BREAK.join(_fold_part(part) for part in text.split(FIELD_BREAK))


# search_key of each character (or character with its marks) met so far: notes use a few
# thousand distinct characters, so folding is a dictionary look-up per character.
_FOLDED: dict[str, str] = {}
_MARKS = re.compile(r"[\u0300-\u036f\u3099-\u309c\uff9e\uff9f]")


def _fold_piece(piece: str) -> str:
    folded = _FOLDED.get(piece)
    if folded is None:
        folded = search_key(piece)
        if len(_FOLDED) < 200_000:
            _FOLDED[piece] = folded
    return folded


def _fold_part(part: str) -> str:
    if _MARKS.search(part) is None:
        return "".join([_fold_piece(char) for char in part])
    return "".join([_fold_piece(found.group()) for found in _CLUSTER.finditer(part)])


def join_fields(values: Iterable[str]) -> str:
    """The stored text of a record: its non-empty fields, without any FIELD_BREAK of their own."""
    return FIELD_BREAK.join(v.replace(FIELD_BREAK, " ") for v in (str(v or "").strip() for v in values) if v)


def _code(point: int) -> int:
    return point if point < 0x10000 else 0xE000 + point % 0x1800


def _gram(first: str, second: str | None = None) -> int:
    value = _code(ord(first)) if second is None else (_code(ord(first)) << 16) | _code(ord(second))
    return value - _SHIFT


def grams_of_folded(folded: str) -> set[int]:
    """Every unigram and bigram of already folded text (the same values as _gram)."""
    grams: set[int] = set()
    for part in folded.split(FIELD_BREAK):
        codes = list(map(ord, part))
        if codes and max(codes) > 0xFFFF:
            codes = [_code(point) for point in codes]
        grams.update(codes)
        grams.update([(first << 16) | second for first, second in pairwise(codes)])
    return {gram - _SHIFT for gram in grams}


def query_grams(term: str) -> set[int]:
    """The grams a folded query term needs: its one unigram, or all its bigrams."""
    if len(term) == 1:
        return {_gram(term)}
    return {_gram(a, b) for a, b in pairwise(term)}


def gram_token(gram: int) -> str:
    """A gram as an FTS5 token (SQLite): letters and digits only."""
    return f"g{gram + _SHIFT:x}"


def query_terms(query: str) -> list[str]:
    """The folded terms of a query: words separated by spaces, each folded; empty ones dropped."""
    return [term for term in (_fold_part(word) for word in query.split()) if term]


def matches(text: str, terms: Iterable[str]) -> bool:
    """Whether the text holds every term (after folding), within one field."""
    parts = fold(text).split(FIELD_BREAK)
    return all(any(term in part for part in parts) for term in terms)


def _fold_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """The folded text with, for each folded character, where its source starts and ends."""
    folded: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for found in _CLUSTER.finditer(text):
        cluster = found.group()
        piece = FIELD_BREAK if cluster == FIELD_BREAK else _fold_piece(cluster)
        for ch in piece:
            folded.append(ch)
            starts.append(found.start())
            ends.append(found.end())
    return "".join(folded), starts, ends


def match_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """The spans of the original text that match any term, merged and in order."""
    folded, starts, ends = _fold_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        at = folded.find(term)
        while at >= 0:
            spans.append((starts[at], ends[at + len(term) - 1]))
            at = folded.find(term, at + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, terms: Iterable[str], *, before: int = 30, width: int = 120) -> SafeString:
    """An escaped excerpt around the first match, every match inside it in <mark>."""
    spans = match_spans(text, terms)
    start = max(0, spans[0][0] - before) if spans else 0
    end = min(len(text), start + width)
    pieces: list[str] = ["…" if start > 0 else ""]
    at = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        pieces.append(_plain(text[at:span_start]))
        pieces.append(f"<mark>{_plain(text[span_start:span_end])}</mark>")
        at = span_end
    pieces.append(_plain(text[at:end]))
    pieces.append("…" if end < len(text) else "")
    return mark_safe("".join(pieces))


def _plain(text: str) -> str:
    return str(escape(text.replace(FIELD_BREAK, " ／ ")))
