"""People a supporter report may be about, suggested to centre staff by address and
name. A person under whereabouts confidentiality is never suggested to anyone who may
not see where they live (people.models.location_annotations): a suggestion for a place
would tell exactly that."""

import re
import unicodedata
from difflib import SequenceMatcher

from django.db.models import Prefetch, Q

from tsunagu.accounts.models import Staff
from tsunagu.cases.models import ACTIVE_STATES, Case
from tsunagu.community.models import SupporterReport
from tsunagu.lib.kana import search_key
from tsunagu.people.access import people_visible_to
from tsunagu.people.models import Person, PersonQuerySet, location_visible_condition

LIMIT = 10
# Rows fetched to rank in Python: an area name can match a whole neighbourhood.
CANDIDATES = 200
MIN_SCORE = 0.35

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHOME = re.compile(r"([〇一二三四五六七八九十]+)丁目")
_DASH_BETWEEN_DIGITS = re.compile(r"(?<=\d)[‐‑‒–—―−－ーｰ-](?=\d)")
_BANCHI = re.compile(r"(\d+)番地?の?(\d+)号?")
_SPACES = re.compile(r"\s+")
_AREA = re.compile(r"^[^\d\-]+")
_TOKEN_SPLIT = re.compile(r"[\s、。,.・()（）「」\-/／]+|さん|様|宅|方|の")


def _kanji_number(text: str) -> int:
    """一 to 九十九, as written in 丁目."""
    if "十" not in text:
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in text))
    tens, _, ones = text.partition("十")
    return (_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (_KANJI_DIGITS.get(ones, 0) if ones else 0)


def address_key(text: str) -> str:
    """An address folded for comparison: width, spaces, 二丁目/2丁目, 3番12号/3-12."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _SPACES.sub("", text)
    text = _CHOME.sub(lambda m: f"{_kanji_number(m[1])}丁目", text)
    text = _DASH_BETWEEN_DIGITS.sub("-", text)
    return _BANCHI.sub(r"\1-\2", text)


def _area(place_key: str, municipality_name: str) -> str:
    """The place's leading area name (東町, 山田字上野, コーポ柳), without the town."""
    key = place_key.removeprefix(address_key(municipality_name))
    match = _AREA.match(key)
    return match[0][:20] if match else ""


def _name_tokens(place: str) -> list[str]:
    tokens = [t for t in _TOKEN_SPLIT.split(unicodedata.normalize("NFKC", place)) if len(t) >= 2]
    return list(dict.fromkeys(tokens))[:5]


def _with_open_cases(people: PersonQuerySet, user: Staff) -> PersonQuerySet:
    open_cases = Case.objects.filter(state__in=ACTIVE_STATES, agency_id=user.agency_id or 0).order_by("-opened_on")
    return people.select_related("district").prefetch_related(
        Prefetch("cases", queryset=open_cases, to_attr="open_cases")
    )


def locatable_people(user: Staff) -> PersonQuerySet:
    """People the user may find and whose whereabouts they may see."""
    return people_visible_to(user).filter(location_visible=True)  # type: ignore[misc]  # an annotation


def suggest_people(user: Staff, report: SupporterReport) -> list[Person]:
    """People whose address resembles the report's place, or whose name appears in it,
    best first. Only centre staff link reports, so only they get suggestions."""
    if not user.works_in_centre:
        return []
    place_key = address_key(report.place)
    area = _area(place_key, report.municipality.name if report.municipality_id else "")
    tokens = _name_tokens(report.place)
    condition = Q(pk__in=[])
    if len(area) >= 2:
        condition |= Q(address__contains=area)
    for token in tokens:
        condition |= Q(pk__in=Person.objects.search(token).values("pk"))
    if condition == Q(pk__in=[]):
        return []
    candidates = list(_with_open_cases(locatable_people(user).filter(condition), user)[:CANDIDATES])
    keys = [key for key in (search_key(token) for token in tokens) if key]
    scored = []
    for person in candidates:
        score = SequenceMatcher(None, address_key(person.address), place_key).ratio() if person.address else 0.0
        names = (person.full_name_key, person.given_name_key, person.full_kana_key, person.given_kana_key)
        if any(name.startswith(key) for key in keys for name in names if name):
            score += 0.5
        if score >= MIN_SCORE:
            scored.append((score, person))
    scored.sort(key=lambda pair: (-pair[0], pair[1].full_kana_key))
    return [person for _score, person in scored[:LIMIT]]


def search_people(user: Staff, query: str) -> list[Person]:
    """The worker's own search (name or reading), with the same rule on whereabouts."""
    if not user.works_in_centre or not query.strip():
        return []
    return list(
        _with_open_cases(locatable_people(user).search(query, contacts=location_visible_condition(user, "pk")), user)[
            :LIMIT
        ]
    )
