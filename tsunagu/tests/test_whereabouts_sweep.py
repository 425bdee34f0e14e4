"""The whereabouts sweep (issue 9): over a generated town of 1,000 households with a few
people under whereabouts confidentiality (tsunagu/tests/town.py), every URL pattern is
walked with their real codes as every role, PDF and Excel exports included, and no
answer may show one of them, outside her team and the chief, her address, postal code,
phone or e-mail, nor name the agency she was sent to or her workplace on a page about her
(her workplace tells where she is every weekday).

The town is written once for the module (inside a transaction rolled back at the end);
each role is one test. A route the sweep does not know fails `test_every_route_is_walked`,
so a new URL joins the sweep when it is added."""

import re
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tsunagu.statistics.definitions import DRILL_LABELS
from tsunagu.statistics.supervision import LISTS
from tsunagu.tests.town import Protected, build_town
from tsunagu.tests.walk import Route, answer_text, routes, without_choices, without_query

NOWHERE = uuid.UUID(int=0)
KINDS = ("intake", "assessment", "plan", "evaluation", "decisions", "notes")

# What each parameter of each route takes, by the route's text before it: the value for
# one protected person (None: the route has no such object for her; NOWHERE is walked).
VALUES: list[tuple[str, Any]] = [
    (r"^people/<uuid:code>/", lambda p, t: {"code": p.person.code}),
    (r"^people/confidentiality/<uuid:code>/", lambda p, t: {"code": p.objects.get("order_code")}),
    (r"^people/emergency-reads/<uuid:code>/", lambda p, t: {"code": p.objects.get("emergency_read_code")}),
    (r"^cases/<uuid:code>/team/<int:member_id>/", lambda p, t: {"code": _case(p), "member_id": _member(p)}),
    (r"^cases/<uuid:code>/<str:kind>\.(pdf|xlsx)", lambda p, t: [{"code": _case(p), "kind": k} for k in KINDS]),
    (r"^cases/<uuid:code>/", lambda p, t: {"code": _case(p)}),
    (r"^cases/notes/<uuid:code>/", lambda p, t: {"code": p.objects.get("note_code")}),
    (r"^cases/tasks/<uuid:code>/", lambda p, t: {"code": p.objects.get("task_code")}),
    (r"^cases/team-requests/<uuid:code>/", lambda p, t: {"code": NOWHERE}),
    (r"^cases/decisions/<uuid:code>/", lambda p, t: {"code": NOWHERE}),
    (r"^consents/people/<uuid:code>/", lambda p, t: {"code": p.person.code}),
    (r"^consents/cases/<uuid:code>/", lambda p, t: {"code": _case(p)}),
    (r"^consents/<uuid:code>/", lambda p, t: {"code": p.objects.get("consent_code")}),
    (r"^referrals/new/<uuid:case_code>/", lambda p, t: {"case_code": _case(p)}),
    (r"^referrals/<uuid:code>/", lambda p, t: {"code": p.objects.get("referral_code")}),
    (r"^meetings/new/<str:kind>/", lambda p, t: {"kind": "coordination"}),
    (
        r"^meetings/<uuid:code>/attendees/<int:attendee_id>/",
        lambda p, t: {"code": p.objects.get("meeting_code"), "attendee_id": 0},
    ),
    (r"^meetings/<uuid:code>/", lambda p, t: {"code": p.objects.get("meeting_code")}),
    (
        r"^meetings/items/<uuid:code>/roles/<int:role_id>/",
        lambda p, t: {"code": p.objects.get("item_code"), "role_id": 0},
    ),
    (r"^meetings/items/<uuid:code>/", lambda p, t: {"code": p.objects.get("item_code")}),
    (r"^meetings/cases/<uuid:code>/", lambda p, t: {"code": _case(p)}),
    (r"^community/r/<str:token>/", lambda p, t: {"token": "no-such-token"}),
    (r"^community/reports/<uuid:code>/", lambda p, t: {"code": p.objects.get("report_code")}),
    (r"^community/districts/<uuid:code>/", lambda p, t: {"code": p.person.district.code}),
    (r"^community/neighbourhoods/<uuid:code>/", lambda p, t: {"code": t.neighbourhoods[0].code}),
    (
        r"^community/supporters/<uuid:code>/links/<int:link_id>/",
        lambda p, t: {"code": t.supporter.code, "link_id": 0},
    ),
    (r"^community/supporters/<uuid:code>/", lambda p, t: {"code": t.supporter.code}),
    (r"^(community|meetings)/issues/<uuid:code>/", lambda p, t: {"code": NOWHERE}),
    (
        r"^resources/for-case/<uuid:code>/plan/<uuid:resource_code>/",
        lambda p, t: {"code": _case(p), "resource_code": NOWHERE},
    ),
    (r"^resources/for-case/<uuid:code>/", lambda p, t: {"code": _case(p)}),
    (r"^resources/<uuid:code>/", lambda p, t: {"code": NOWHERE}),
    (r"^employment/cases/<uuid:code>/", lambda p, t: {"code": _case(p)}),
    (r"^employment/steps/<uuid:code>/", lambda p, t: {"code": p.objects.get("step_code")}),
    (r"^employment/placements/<uuid:code>/", lambda p, t: {"code": p.objects.get("placement_code")}),
    (r"^employment/follow-ups/<uuid:code>/", lambda p, t: {"code": p.objects.get("follow_up_code")}),
    (r"^employment/income/<uuid:code>/", lambda p, t: {"code": p.objects.get("income_code")}),
    (r"^employment/employers/<uuid:code>/", lambda p, t: {"code": p.objects.get("employer_ref")}),
    (r"^employment/openings/<uuid:code>/", lambda p, t: {"code": p.objects.get("opening_ref")}),
    (r"^statistics/cases/<slug:key>/", lambda p, t: [{"key": k} for k in DRILL_LABELS]),
    (r"^statistics/supervision/<slug:kind>/", lambda p, t: [{"kind": k} for k in LISTS]),
    (
        r"^programmes/case/<uuid:code>/<str:kind>\.pdf",
        lambda p, t: [{"code": _case(p), "kind": k} for k in ("budget", "cashflow")],
    ),
    (r"^programmes/case/<uuid:code>/", lambda p, t: {"code": _case(p)}),
    (r"^programmes/(stays|housing|sessions|aid)/<uuid:code>/", lambda p, t: {"code": NOWHERE}),
    (r"^admin/accounts/agency/<path:object_id>/", lambda p, t: {"object_id": p.shelter.pk}),
    (r"^admin/accounts/district/<path:object_id>/", lambda p, t: {"object_id": p.person.district_id}),
    (r"^admin/accounts/municipality/<path:object_id>/", lambda p, t: {"object_id": t.town.pk}),
    (r"^admin/accounts/staff/<(path:object_)?id>/", lambda p, t: {"object_id": 1, "id": 1}),
    (r"^admin/axes/accessattempt/<path:object_id>/", lambda p, t: {"object_id": 1}),
    (r"^admin/programmes/housinglimit/<path:object_id>/", lambda p, t: {"object_id": 1}),
    (r"^admin/r/", lambda p, t: {"content_type_id": 1, "object_id": p.shelter.pk}),
]
# Regex routes of the admin (no <parameter> to fill): walked at these addresses.
FIXED = {r"admin/(?P<url>.*)$": "/admin/nothing-here/"}


def fixed(route: str) -> str | None:
    """Where a regex route of the admin is walked (its app index lists every registered app)."""
    if route.startswith("admin/^(?P<app_label>"):
        return "/admin/accounts/"
    return FIXED.get(route)


ROLES = [
    "team_worker",
    "consultant",
    "deputy",
    "employment",
    "coordinator",
    "officer",
    "partner",
    "partner_other",
    "shelter_staff",
    "district_chief",
    "supporter",
    "admin",
    "outsider",
]


def _case(p: Protected) -> Any:
    return p.objects.get("case_code")


def _member(p: Protected) -> Any:
    return p.objects.get("member_id", 0)


@pytest.fixture(scope="module")
def town(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """The town, written once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_town()
        yield built
        transaction.set_rollback(True)


def _values(route: Route, p: Protected, town: Any) -> list[dict[str, Any]]:
    for pattern, make in VALUES:
        if re.match(pattern, route.route):
            values = make(p, town)
            found = values if isinstance(values, list) else [values]
            return [{k: (NOWHERE if v is None else v) for k, v in v_.items()} for v_ in found]
    raise LookupError(route.route)


def addresses(town: Any) -> list[str]:
    """Every address to walk: each route once per protected person (its parameters
    filled with her objects' codes), routes without parameters once, and the searches
    with her phone, e-mail and name."""
    walked: list[str] = []
    for route in routes():
        if fixed(route.route):
            walked.append(fixed(route.route) or "")
        elif not route.parameters:
            walked.append("/" + route.route)
        else:
            for p in town.protected:
                walked.extend(route.url(values) for values in _values(route, p, town))
    first = town.protected[0].objects
    meeting = reverse("meetings:detail", kwargs={"code": first["meeting_code"]})
    report = reverse("community:report_detail", kwargs={"code": first["report_code"]})
    for p in town.protected:
        for query in (p.person.phone, p.person.phone.replace("-", ""), p.person.email, "ヒトク"):
            walked += [f"{reverse('people:list')}?q={query}", f"{meeting}?find={query}", f"{report}?q={query}"]
        walked.append(reverse("cases:list") + f"?district={p.person.district_id}")
        walked.append(reverse("people:household_add", kwargs={"code": p.person.code}) + "?q=ヒトク")
    return list(dict.fromkeys(walked))


def leaks(text: str, url: str, role: str, town: Any) -> list[str]:
    """What the answer shows that it must not: for each protected person whose team the
    role is not on, her address, postal code, phone and e-mail anywhere in the answer;
    the agency she was sent to on a page that is about her (her name in it, or her
    codes in the address), drop-down lists aside, unless the reader works there or
    configures agencies (admin)."""
    found: list[str] = []
    # Without white space: a PDF table cell breaks a long name over two lines.
    raw = without_query(text, url)
    choices_removed = compact(without_choices(raw))
    text = compact(raw)
    for p in town.protected:
        if role in p.team:
            continue
        found.extend(f"{p.person.full_name}: {s}" for s in p.secrets if s and compact(s) in text)
        own = role == "admin" or town.staff[role].agency_id == p.shelter.pk
        about_her = compact(p.person.full_name) in choices_removed or any(code in url for code in p.codes)
        if not own and about_her and compact(p.shelter.name) in choices_removed:
            found.append(f"{p.person.full_name}: sent to {p.shelter.name}")
        # Her workplace: the directory names the employer, never beside her. The admin's
        # delete confirmations list a district's or town's people and employers flat,
        # unlinked (her placement never among them: its free-text twin is a secret above).
        if p.workplace and role != "admin" and about_her and compact(p.workplace) in choices_removed:
            found.append(f"{p.person.full_name}: works at {p.workplace}")
    return found


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_route_is_walked(town, db):
    unknown = []
    for route in routes():
        if route.parameters and not fixed(route.route):
            try:
                _values(route, town.protected[0], town)
            except LookupError:
                unknown.append(route.route)
    assert unknown == []


def test_the_town_is_as_large_as_asked(town, db):
    assert len(town.households) >= 1000
    assert len(town.people) >= 2000
    assert len(town.protected) >= 4
    assert all(p.order is not None and p.order.in_force for p in town.protected)


def test_the_sweep_sees_what_the_team_sees(town, db, client):
    """The check can fail: her team does see what the sweep looks for."""
    p = town.protected[0]
    client.force_login(town.staff["team_worker"])
    person_page = answer_text(client.get(p.person.get_absolute_url()))
    assert p.person.address in person_page
    assert p.person.phone in person_page
    case_page = answer_text(client.get(reverse("cases:detail", kwargs={"code": p.case.code})))
    assert p.shelter.name in case_page
    pdf = answer_text(client.get(reverse("sheets:pdf", kwargs={"code": p.case.code, "kind": "intake"})))
    assert p.person.address in pdf
    assert leaks(person_page, p.person.get_absolute_url(), "consultant", town)
    employment_url = reverse("employment:case", kwargs={"code": p.case.code})
    employment_page = answer_text(client.get(employment_url))
    assert p.workplace in employment_page
    assert "かくれ商店" in employment_page
    assert f"{p.person.full_name}: works at {p.workplace}" in leaks(employment_page, employment_url, "consultant", town)


def found_by_contact(text: str, url: str, role: str, town: Any, without: str) -> list[str]:
    """A search by her phone or e-mail that names her where the same page without the
    search does not: it answered "who has this number" (issue 9)."""
    query = urlsplit(url).query
    found = []
    for p in town.protected:
        contacts = [p.person.phone, p.person.phone.replace("-", ""), p.person.email]
        if role in p.team or not any(quote(c) in query or c in query for c in contacts):
            continue
        if text.count(p.person.full_name) > without.count(p.person.full_name):
            found.append(f"{p.person.full_name}: found by her phone or e-mail")
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_her_whereabouts_outside_her_team(town, db, role):
    client = Client()
    client.force_login(town.staff[role])
    found = []
    plain: dict[str, str] = {}  # each searched page without the search, once
    for url in addresses(town):
        response = client.get(url)
        assert response.status_code < 500, url
        text = answer_text(response)
        found.extend(f"{url}: {leak}" for leak in leaks(text, url, role, town))
        if "?" in url:
            base = url.split("?")[0]
            if base not in plain:
                plain[base] = answer_text(client.get(base))
            found.extend(f"{url}: {leak}" for leak in found_by_contact(text, url, role, town, plain[base]))
    assert not found, "\n".join(found)
