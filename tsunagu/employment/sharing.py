"""What leaves the centre of a person's employment support when a consent covers
`Category.EMPLOYMENT`: the wishes, stage, licences, work history and placements. The
就労阻害要因 that are 要配慮個人情報 (illness, disability, record) and the accommodations
never go with this category; they stay with their own categories."""

from typing import Any

from django.utils.translation import gettext as _

from tsunagu.cases.models import Case
from tsunagu.employment.models import JobSeekerProfile, Placement
from tsunagu.lib.wareki import format_wareki
from tsunagu.sheets.models import SENSITIVE_ISSUES, Issue, current_version


def profile_rows(profile: JobSeekerProfile) -> list[tuple[str, str]]:
    """(label, value) of the profile that the EMPLOYMENT category covers."""
    barriers = [str(Issue(i).label) for i in profile.barriers if i in Issue.values and i not in SENSITIVE_ISSUES]
    rows = [
        (_("支援の段階"), str(profile.get_stage_display())),
        (_("希望する職種"), "、".join([*profile.category_labels(), profile.wished_job]).strip("、")),
        (
            _("希望する週の労働時間"),
            _("%(hours)s時間") % {"hours": profile.wished_hours_per_week} if profile.wished_hours_per_week else "",
        ),
        (_("働ける曜日"), "・".join(profile.day_labels())),
        (
            _("希望する勤務地"),
            "、".join([*(d.name for d in profile.wished_districts.all()), profile.wished_area]).strip("、"),
        ),
        (_("通勤の手段"), "、".join(profile.commute_labels())),
        (_("免許・資格"), "、".join(profile.licence_list())),
        (_("就労阻害要因"), "、".join(barriers)),
        (_("ハローワーク求職番号"), profile.hello_work_number),
    ]
    return [(str(label), value) for label, value in rows if value]


def snapshot_section(case: Case) -> dict[str, Any]:
    """A referral snapshot section (referrals.snapshot's shape: rows, items, notes)."""
    profile = current_version(JobSeekerProfile, case)
    placements = list(Placement.objects.filter(case=case).select_related("employer").order_by("-started_on", "-id"))
    if profile is None and not placements:
        return {"rows": [], "items": [], "notes": [_("就労支援の記録はありません。")]}
    rows = [[label, value, ""] for label, value in profile_rows(profile)] if profile else []
    items: list[dict[str, str]] = []
    if profile is not None:
        items += [
            {
                "employer": row.employer_name,
                "job": row.job,
                "period": f"{row.started}〜{row.ended}",
                "end_reason": row.end_reason,
            }
            for row in profile.history.order_by("position", "id")
        ]
    for placement in placements:
        rows.append(
            [
                str(_("就労")),
                _("%(employer)s（%(type)s、%(start)sから%(end)s）")
                % {
                    "employer": placement.employer_label,
                    "type": placement.get_employment_type_display(),
                    "start": format_wareki(placement.started_on),
                    "end": _("、%(day)sまで") % {"day": format_wareki(placement.ended_on)}
                    if placement.ended_on
                    else "",
                },
                "",
            ]
        )
    return {"rows": rows, "items": items, "notes": []}
