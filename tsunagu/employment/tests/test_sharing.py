"""Category.EMPLOYMENT in what leaves the centre: the referral form offers it, and a
referral's snapshot carries the wishes, work history and placements, never the
要配慮 就労阻害要因 or the accommodations."""

from django.urls import reverse

from tsunagu.employment.models import WorkHistory
from tsunagu.employment.tests.conftest import make_placement, make_profile
from tsunagu.referrals.snapshot import take_snapshot
from tsunagu.tests.pages import visible_text


def test_the_referral_form_offers_the_employment_category(client, world):
    client.force_login(world.consultant)
    response = client.get(reverse("referrals:new", kwargs={"case_code": world.case.code}))
    assert response.status_code == 200
    assert "就労支援" in visible_text(response)


def test_the_snapshot_carries_employment_without_sensitive_barriers(world):
    profile = make_profile(
        world.case,
        world.employment,
        wished_job="介護の補助",
        barriers=["mental_health", "job_search_difficulty"],
        accommodations="通院のため水曜は休み",
    )
    WorkHistory.objects.create(profile=profile, employer_name="湯沢スーパー", job="品出し", end_reason="閉店")
    make_placement(world, world.case)
    snapshot = take_snapshot(world.case, ["employment"])
    [section] = snapshot["sections"]
    assert section["title"] == "就労支援"
    text = str(section)
    assert "介護の補助" in text
    assert "就職活動困難" in text
    assert "湯沢スーパー" in text
    assert "就職先" in text
    assert "メンタルヘルス" not in text
    assert "通院" not in text
    assert "name" not in snapshot  # BASIC was not chosen
