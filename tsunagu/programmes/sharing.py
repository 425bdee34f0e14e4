"""What a referral's snapshot carries of the programmes when the person's consent
covers Category.PROGRAMMES (referrals.snapshot): the programmes used, without places
(a shelter or a landlord can tell where she lives) and without bank accounts."""

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from tsunagu.cases.models import Case
from tsunagu.lib.wareki import short_wareki
from tsunagu.programmes.models import EmergencyAid, HouseholdBudget, HousingApplication, PaymentStatus, Stay
from tsunagu.sheets.models import current_version


def summary_rows(case: Case) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    aid = list(EmergencyAid.objects.filter(case=case)[:10])
    if aid:
        rows.append((_("緊急支援"), "、".join(f"{short_wareki(a.given_on)} {a.get_kind_display()}" for a in aid)))
    for application in HousingApplication.objects.filter(case=case).annotate(
        paid=Count("payments", filter=Q(payments__status=PaymentStatus.PAID))
    ):
        state = _("支給 %(n)sか月") % {"n": application.paid} if application.eligible else _("要件を満たさない")
        rows.append((_("住居確保給付金"), f"{short_wareki(application.applied_on)} {_('申請')}・{state}"))
    for stay in Stay.objects.filter(case=case):
        end = f"{short_wareki(stay.ended_on)} {stay.get_move_on_display()}" if stay.ended_on else _("滞在中")
        rows.append((_("居住支援"), f"{short_wareki(stay.starts_on)}〜{end}"))
    budget = current_version(HouseholdBudget, case)
    if budget is not None:
        rows.append((_("家計改善支援"), _("家計表 第%(v)s版") % {"v": budget.version}))
    if not rows:
        rows.append((_("事業の利用"), _("記録はありません。")))
    return rows


def snapshot_section(case: Case) -> dict[str, Any]:
    """A referral snapshot section (referrals.snapshot's shape: rows, items, notes)."""
    return {"rows": [[str(label), str(value), ""] for label, value in summary_rows(case)], "items": [], "notes": []}
