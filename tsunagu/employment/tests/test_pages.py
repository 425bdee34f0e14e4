"""Every new page: its content, its query count pinned with one and three rows, the start
page of the employment role and the menu."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.testing import pinned
from tsunagu.conftest import make_case, make_person
from tsunagu.employment.models import IncomeRise, JobDevelopment, Step
from tsunagu.employment.support import record_income_rise, record_step
from tsunagu.employment.tests.conftest import make_employer, make_opening, make_placement, make_profile
from tsunagu.tests.client import count_queries
from tsunagu.tests.pages import visible_text

# (queries on SQLite, audit writes): each page's count with one row and with three.
PINNED = {
    # session and user (2) in every count. The start page: the cases read in full and their
    # latest profiles (2), follow-ups due, openings closing, contacts, the audit entry.
    "home": (15, 1),
    # The case, its person, the profile (+ districts, history), openings that fit, steps,
    # placements (+ follow-ups), income rises, the forms' choices, the audit entry, whether
    # the profile's 就労支援員 waits for the chief's approval to join the team.
    "case": (27, 1),
    "profile": (20, 1),
    "case_openings": (15, 1),
    "employers": (8, 0),
    # Counts of placements only: an employer's page names no one.
    "employer": (11, 0),
    "openings": (9, 0),
    # The job-seekers who fit: the cases read in full and their latest profiles, one audit
    # insert for all the people shown.
    "opening": (13, 1),
}


def _job_seeker(world, n):
    person = make_person(world.town, "求職", f"{n}郎", "キュウショク", "イチロウ")
    case = make_case(person, world.centre, world.consultant)
    return make_profile(case, world.employment, districts=[world.district])


def _rows(world, n, employer):
    """n of everything a page lists: job-seekers, openings, steps, placements (with their
    follow-ups), income rises, 求人開拓 contacts."""
    today = timezone.localdate()
    for i in range(n):
        _job_seeker(world, f"{employer.name}{i}")
        opening = make_opening(
            world, f"求人{employer.name}{i}", employer=employer, closes_on=today + dt.timedelta(days=3)
        )
        record_step(Step(case=world.case, kind="visit", opening=opening, on=today), world.employment)
        placement = make_placement(world, world.case, employer=employer, started_on=today - dt.timedelta(days=40))
        assert placement.follow_ups.count() == 3
        record_income_rise(
            IncomeRise(case=world.case, risen_on=today, income_before=0, income_after=1000 + i, source="work"),
            world.employment,
        )
        JobDevelopment.objects.create(
            employer=employer, contacted_on=today, method="visit", staff=world.employment, outcome="opening"
        )


def _urls(world, employer, opening):
    case = {"code": world.case.code}
    return {
        "home": reverse("employment:home"),
        "case": reverse("employment:case", kwargs=case),
        "profile": reverse("employment:profile", kwargs=case),
        "case_openings": reverse("employment:case_openings", kwargs=case),
        "employers": reverse("employment:employers"),
        "employer": reverse("employment:employer", kwargs={"code": employer.code}),
        "openings": reverse("employment:openings"),
        "opening": reverse("employment:opening", kwargs={"code": opening.code}),
    }


def test_no_page_grows_with_its_rows(client, world, seeker):
    employer = make_employer(world)
    opening = make_opening(world, "見る求人", employer=employer)
    client.force_login(world.employment)
    urls = _urls(world, employer, opening)
    _rows(world, 1, employer)
    one = {name: count_queries(client, url) for name, url in urls.items()}
    _rows(world, 2, make_employer(world, "二社目"))
    _rows(world, 0, employer)
    three_employer = make_employer(world, "三社目")
    _rows(world, 1, three_employer)  # three of each in all
    three = {name: count_queries(client, url) for name, url in urls.items()}
    expected = {name: pinned(*counts) for name, counts in PINNED.items()}
    assert (one, three) == (expected, expected)


def test_the_start_page_shows_my_work(client, world, seeker):
    today = timezone.localdate()
    employer = make_employer(world)
    make_opening(world, "締切の近い求人", employer=employer, closes_on=today + dt.timedelta(days=2))
    make_opening(world, "締切の遠い求人", employer=employer, closes_on=today + dt.timedelta(days=60))
    make_placement(world, world.case, employer=employer, started_on=today - dt.timedelta(days=35))
    JobDevelopment.objects.create(
        employer=employer, contacted_on=today, method="phone", staff=world.employment, outcome="interest"
    )
    someone_else = _job_seeker(world, "他")
    someone_else.supporter = world.chief
    someone_else.save(update_fields=["supporter"])
    client.force_login(world.employment)
    page = visible_text(client.get(reverse("employment:home")))
    assert "求職者（段階別、1人）" in page
    assert "山田 太郎" in page
    assert "求職 他郎" not in page
    assert "就労1か月（雄勝食品）" in page  # due 5 days ago
    assert "期限切れ" in page
    assert "締切の近い求人" in page
    assert "締切の遠い求人" not in page
    assert "今月の求人開拓（1件）" in page
    assert "求職 他郎" in visible_text(client.get(reverse("employment:home"), {"all": "1"}))


def test_the_employment_role_lands_on_its_start_page_with_a_menu_item(client, world):
    from tsunagu.accounts.navigation import menu_for, start_page

    assert start_page(world.employment) == reverse("employment:home")
    assert start_page(world.consultant) != reverse("employment:home")
    assert "employment:home" in [item.url_name for item in menu_for(world.consultant)]
    assert "employment:home" in [item.url_name for item in menu_for(world.officer)]
    assert "employment:home" not in [item.url_name for item in menu_for(world.partner)]
    assert "employment:home" not in [item.url_name for item in menu_for(world.supporter)]
