"""Openings for a job-seeker and job-seekers for an opening, with their reasons."""

from django.urls import reverse

from tsunagu.accounts.models import District
from tsunagu.cases.models import CaseState
from tsunagu.conftest import make_case, make_person
from tsunagu.employment.matching import fit, openings_for, seekers_for
from tsunagu.employment.tests.conftest import make_opening, make_profile
from tsunagu.tests.pages import visible_text


def test_the_reasons_say_why_an_opening_fits(world, seeker):
    opening = make_opening(world, required_licences="普通自動車免許", accommodations="短時間から始められる")
    seeker.accommodations = "朝が苦手"
    found = fit(seeker, opening)
    assert found is not None
    assert found.reasons == [
        "段階「一般就労」に合う",
        "希望する職種（運搬・清掃・包装等の職業）",
        "週20時間（希望は週20時間）",
        "勤務する曜日（月・火・水）に働ける",
        "希望する地区（東小）",
        "必要な資格（普通自動車免許）がある",
        "配慮できること：短時間から始められる",
    ]
    assert found.cautions == []


def test_what_does_not_fit_is_a_caution_and_another_stage_is_left_out(world, seeker):
    far = District.objects.create(municipality=world.town, name="皆瀬", number=9)
    long_hours = make_opening(
        world,
        "夜勤の警備",
        category="security",
        hours_per_week=40,
        district=far,
        days=["sat"],
        required_licences="警備員検定",
    )
    found = fit(seeker, long_hours)
    assert found is not None
    assert found.cautions == [
        "希望する職種とは違う（保安の職業）",
        "週40時間は希望（週20時間）より長い",
        "働けない曜日の勤務がある",
        "希望する地区の外（通勤手段を確かめる）",
        "必要な資格がない：警備員検定",
    ]
    training = make_opening(world, "農作業の訓練", category="agriculture", employment_type="training_non_employed")
    assert fit(seeker, training) is None
    seeker.stage = "certified_training"
    assert fit(seeker, training) is not None


def test_openings_are_ranked_best_first(world, seeker):
    poor = make_opening(world, "遠くの事務", category="clerical", hours_per_week=40)
    good = make_opening(world, "箱詰め")
    ranked = openings_for(seeker, [poor, good])
    assert [f.opening for f in ranked] == [good, poor]


def test_an_opening_lists_only_job_seekers_the_user_reads_in_full(client, world, seeker):
    opening = make_opening(world, "箱詰め")
    # Another centre's job-seeker (the other town) and a closed case are not offered.
    other = make_profile(world.other_case, world.outsider)
    closed_person = make_person(world.town, "終結", "済子", "シュウケツ", "スミコ")
    closed = make_case(closed_person, world.centre, world.consultant, state=CaseState.ENDED)
    make_profile(closed, world.employment)
    seekers = seekers_for(world.employment, opening)
    assert [f.profile for f in seekers] == [seeker]
    assert other.case_id not in [f.profile.case_id for f in seekers_for(world.chief, opening)]
    assert seekers_for(world.partner, opening) == []
    client.force_login(world.employment)
    page = visible_text(client.get(reverse("employment:opening", kwargs={"code": opening.code})))
    assert "山田 太郎" in page
    assert "希望する職種（運搬・清掃・包装等の職業）" in page
    assert "終結 済子" not in page
    assert "山田 次郎" not in page


def test_the_case_page_shows_the_openings_that_fit(client, world, seeker):
    make_opening(world, "箱詰め")
    make_opening(world, "農作業の訓練", category="agriculture", employment_type="training_employed")
    client.force_login(world.employment)
    page = visible_text(client.get(reverse("employment:case", kwargs={"code": world.case.code})), within="fits")
    assert "箱詰め" in page
    assert "農作業の訓練" not in page
