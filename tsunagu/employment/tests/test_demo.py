"""The demo town's employment records (tsunagu.demo.employment), on a small town of
twelve cases in support: every stage, employers with 求人開拓, open and closed openings,
placements with follow-ups done and due, a job left, income rises of both kinds."""

from collections import Counter

from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import CaseState, Task, TaskKind
from tsunagu.conftest import make_case, make_person
from tsunagu.demo.employment import load_employment
from tsunagu.employment.models import (
    Employer,
    FollowUp,
    IncomeRise,
    JobDevelopment,
    JobSeekerProfile,
    Opening,
    Placement,
    Stage,
)


def test_the_demo_shows_every_part_of_employment_support(world):
    for i in range(12):
        person = make_person(world.town, "就労", f"{i}子", "シュウロウ", "コ")
        make_case(person, world.centre, world.consultant, state=CaseState.IN_SUPPORT)
    counts = load_employment(world.town)
    today = timezone.localdate()
    assert counts == {"employers": 8, "openings": 14, "job_seekers": 12}
    assert set(JobSeekerProfile.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert JobSeekerProfile.objects.filter(supporter=world.employment).count() == 12
    assert Employer.objects.filter(municipality=world.town).count() == 8
    assert JobDevelopment.objects.filter(contacted_on__month=today.month, contacted_on__year=today.year).exists()
    assert Opening.objects.open_on().count() >= 8
    assert Opening.objects.closed_on_day().count() >= 3
    assert Opening.objects.exclude(hello_work_number="").count() == 3
    placements = Placement.objects.all()
    assert placements.count() == 5
    assert placements.filter(ended_on__isnull=False, end_reason="workplace").count() == 1
    follow_ups = FollowUp.objects.all()
    assert follow_ups.filter(done_on__isnull=False).exists()
    assert follow_ups.filter(done_on__isnull=True, due_on__lt=today, placement__ended_on__isnull=True).count() == 1
    assert Task.objects.filter(kind=TaskKind.RETENTION, done_at__isnull=True).exists()
    assert Counter(IncomeRise.objects.values_list("source", flat=True)) == {"work": 4, "other": 1}
    # One rise was corrected after saving: versioned and audited like the rest.
    corrected = IncomeRise.objects.get(version=2)
    assert (corrected.source, corrected.income_after) == ("other", 110000)
    event = AuditEvent.objects.get(action=Action.CHANGE, object_code=str(corrected.code), detail="訂正")
    assert event.changes["income_after"] == ["101000", "110000"]
    # Each job-seeker's 就労支援員 is on the case team (the profile put them there).
    for profile in JobSeekerProfile.objects.select_related("case"):
        assert profile.case.team.filter(staff=world.employment, team_role="employment").exists()
    # The other municipality's cases were not touched.
    assert not JobSeekerProfile.objects.filter(case=world.other_case).exists()
