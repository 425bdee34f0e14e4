"""Consents and disclosures of a demo town (tsunagu.consents), written after the standard
forms (the loader calls `load_consents(municipality)`):

- every 相談受付・申込票 becomes the case's application consent, through
  `record_application_consent`, as the intake page does;
- a few people also consented on their own to 要配慮 information: their health with the
  地域包括支援センター on cases it works on, and the DV victimisation with the legal
  aid centre; one consent (health information to ハローワーク) was later withdrawn;
- a few disclosures: the 地域包括 worker looking at cases their consents cover, and one
  emergency (a person found collapsed at home, the health centre told of the illness).

Everything is chosen in a fixed order (by id), so two loads give the same rows. The
rows and timeline entries get past times; their audit entries carry the time of the
load, as every other audit entry of the demo.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import Agency, AgencyKind, Municipality, Role, Staff
from tsunagu.cases.models import Case, CaseState, CaseTeamMember, TeamRole, TimelineEntry, TimelineKind
from tsunagu.consents.models import (
    Category,
    Consent,
    Disclosure,
    Method,
    Purpose,
    disclose_in_emergency,
    record_consent,
    team_scopes,
    withdraw_consent,
)
from tsunagu.demo.loader import half_past
from tsunagu.people.models import WhereaboutsConfidentiality
from tsunagu.sheets.models import ApplicationConsent, IntakeSheet, PlanSheet, record_application_consent

HEALTH_NOTE = "介護サービスの調整のため、通院と服薬の状況を地域包括支援センターと共有することに同意（署名）。"
DV_NOTE = "保護命令の申立ての相談のため、被害の状況を法律相談センターに伝えることに同意（口頭、記録）。"
WORK_NOTE = "職業相談のため、アセスメントと病気の状況をハローワークに伝えることに同意。"
WITHDRAWAL_NOTE = "本人から電話で、ハローワークには病気のことを伝えないでほしいと申し出があった。"
EMERGENCY_REASON = (
    "訪問時に本人が自宅で倒れ、呼びかけへの反応が弱かった。救急要請のうえ、駆けつけた保健センターの保健師に"
    "持病と服薬の状況を伝えた。本人の同意を得られる状態ではなかった。"
)


def _agency(municipality: Municipality, kind: str) -> Agency | None:
    return Agency.objects.filter(municipality=municipality, kind=kind).order_by("id").first()


def _days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def _backdate_entry(case: Case | None, when: dt.datetime) -> None:
    """The CONSENT entry just written on the case happened at `when`."""
    if case is None:
        return
    entry = TimelineEntry.objects.filter(case=case, kind=TimelineKind.CONSENT).order_by("-id").first()
    if entry is not None:
        TimelineEntry.objects.filter(pk=entry.pk).update(at=when)


def _given_on(case: Case, days_ago: int) -> dt.date:
    return max(case.opened_on, _days_ago(days_ago))


def load_consents(municipality: Municipality) -> dict[str, int]:
    with transaction.atomic():
        cases = Case.objects.filter(agency__municipality=municipality).select_related("person", "worker", "agency")
        applications = _application_consents(cases)
        extra = _extra_consents(municipality, cases)
        disclosures = _disclosures(municipality, cases)
    return {"application_consents": applications, "other_consents": extra, "disclosures": disclosures}


def _application_consents(cases: Iterable[Case]) -> int:
    sheets = (
        IntakeSheet.objects.filter(case__in=cases)
        .select_related("case", "case__person", "recorded_by")
        .prefetch_related("consent_agencies")
        .order_by("recorded_at", "id")
    )
    recorded = 0
    for sheet in sheets:
        if record_application_consent(sheet, sheet.recorded_by) is ApplicationConsent.RECORDED:
            sheet.consents.update(recorded_at=sheet.recorded_at)
            _backdate_entry(sheet.case, sheet.recorded_at)
            recorded += 1
    return recorded


def _worker(case: Case) -> Staff:
    if case.worker is not None:
        return case.worker
    return Staff.objects.filter(agency=case.agency, role=Role.CHIEF).order_by("id").get()


def _extra_consents(municipality: Municipality, cases: Iterable[Case]) -> int:
    made = 0
    community_care = _agency(municipality, AgencyKind.COMMUNITY_CARE_CENTRE)
    legal = _agency(municipality, AgencyKind.LEGAL_AID)
    hello_work = _agency(municipality, AgencyKind.HELLO_WORK)
    in_support = [c for c in cases if c.state == CaseState.IN_SUPPORT]
    partner_cases = set(
        CaseTeamMember.objects.filter(case__in=in_support, team_role=TeamRole.PARTNER).values_list("case_id", flat=True)
    )
    if community_care is not None:
        for case in [c for c in in_support if c.pk in partner_cases][:2]:
            given = _given_on(case, 40)
            consent = record_consent(
                case.person,
                _worker(case),
                case=case,
                agencies=[community_care],
                purposes=[Purpose.TEAM, Purpose.COORDINATION],
                categories=[Category.HEALTH],
                method=Method.SIGNATURE,
                given_on=given,
                note=HEALTH_NOTE,
            )
            Consent.objects.filter(pk=consent.pk).update(recorded_at=half_past(given, 14))
            _backdate_entry(case, half_past(given, 14))
            made += 1
    confidential = WhereaboutsConfidentiality.objects.filter(confirmed_at__isnull=False).values("person_id")
    dv_case = next((c for c in in_support if c.person_id in {r["person_id"] for r in confidential}), None)
    if legal is not None and dv_case is not None:
        given = _given_on(dv_case, 60)
        consent = record_consent(
            dv_case.person,
            _worker(dv_case),
            case=dv_case,
            agencies=[legal],
            purposes=[Purpose.REFERRAL],
            categories=[Category.BASIC, Category.VICTIMISATION],
            method=Method.SPOKEN,
            given_on=given,
            ends_on=given + dt.timedelta(days=180),
            note=DV_NOTE,
        )
        Consent.objects.filter(pk=consent.pk).update(recorded_at=half_past(given, 11))
        _backdate_entry(dv_case, half_past(given, 11))
        made += 1
    others = [c for c in in_support if c.pk not in partner_cases and c != dv_case]
    if hello_work is not None and others:
        case = others[0]
        given = _given_on(case, 30)
        consent = record_consent(
            case.person,
            _worker(case),
            case=case,
            agencies=[hello_work],
            purposes=[Purpose.REFERRAL],
            categories=[Category.BASIC, Category.ASSESSMENT, Category.HEALTH],
            method=Method.SIGNATURE,
            given_on=given,
            note=WORK_NOTE,
        )
        Consent.objects.filter(pk=consent.pk).update(recorded_at=half_past(given, 15))
        _backdate_entry(case, half_past(given, 15))
        withdraw_consent(consent, _worker(case), WITHDRAWAL_NOTE)
        withdrawn_at = half_past(min(given + dt.timedelta(days=9), timezone.localdate()), 9)
        Consent.objects.filter(pk=consent.pk).update(withdrawn_at=withdrawn_at)
        TimelineEntry.objects.filter(
            case__person=case.person, kind=TimelineKind.CONSENT, detail__contains=WITHDRAWAL_NOTE[:20]
        ).update(at=withdrawn_at)
        made += 1
    return made


def _disclosures(municipality: Municipality, cases: Iterable[Case]) -> int:
    made = 0
    partner = (
        Staff.objects.filter(agency__municipality=municipality, role=Role.PARTNER)
        .select_related("agency")
        .order_by("id")
        .first()
    )
    if partner is not None and partner.agency is not None:
        on_team = set(CaseTeamMember.objects.filter(staff=partner).values_list("case_id", flat=True))
        team_cases = [c for c in cases if c.pk in on_team]
        scopes = team_scopes((c.person for c in team_cases), partner.agency)
        with_plan = set(PlanSheet.objects.filter(case__in=team_cases).values_list("case_id", flat=True))
        for days, case in enumerate(team_cases):
            scope = scopes[case.person_id]
            scope.show(Category.BASIC, Category.PROGRESS, *([Category.PLAN] if case.pk in with_plan else []))
            for row in scope.log_view(partner, case):
                Disclosure.objects.filter(pk=row.pk).update(at=half_past(_days_ago(1 + days % 20), 13))
                made += 1
    health = _agency(municipality, AgencyKind.HEALTH_CENTRE)
    elderly = [c for c in cases if c.state == CaseState.IN_SUPPORT and c.person.birth_date is not None]
    elderly.sort(key=lambda c: (c.person.birth_date, c.pk))
    if health is not None and elderly:
        case = elderly[0]
        disclosure = disclose_in_emergency(
            case,
            _worker(case),
            agency=health,
            categories=[Category.BASIC, Category.HEALTH],
            reason=EMERGENCY_REASON,
            recipient_name="保健センター 保健師",
        )
        when = half_past(_days_ago(12), 10)
        Disclosure.objects.filter(pk=disclosure.pk).update(at=when)
        _backdate_entry(case, when)
        made += 1
    return made
