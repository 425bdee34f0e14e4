"""The steps of a referral (つなぎ), one named function each.

Each step checks who may take it and from which status, then writes the referral, an
audit entry, a timeline entry on the case (so the referring worker sees every answer)
and the referrer's task in one transaction. A step that may not be taken raises
ReferralError with a Japanese message (and the form field it concerns) and changes
nothing. Steps that two people may take carry the version the user read, so that an
answer given on a stale page is refused rather than applied to a state nobody saw.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Agency, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import Case, CaseState, Task, TaskKind, TimelineEntry, TimelineKind
from tsunagu.cases.transitions import named
from tsunagu.consents.models import Category, Channel, Consent, LegalBasis, Purpose, categories_for, disclose
from tsunagu.lib.wareki import format_wareki
from tsunagu.people.access import NO_RECORDS_ROLES
from tsunagu.people.models import Person
from tsunagu.referrals.models import OPEN_STATUSES, Referral, ReferralStatus
from tsunagu.referrals.snapshot import CATEGORY_TITLES, take_snapshot

R = ReferralStatus
# A case that has ended sends nobody anywhere.
FINISHED_CASE_STATES = frozenset({CaseState.CLOSED_INFO_ONLY, CaseState.CLOSED, CaseState.ENDED})
# The bases a referral may rest on; a 支援会議 shares information in the meeting itself.
REFERRAL_BASES = frozenset({LegalBasis.CONSENT, LegalBasis.EMERGENCY})


class ReferralError(Exception):
    """A step that may not be taken; the message is for the user, in Japanese."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# Who may take a step.
def sends_for(by: Staff, case: Case) -> bool:
    """Staff of the centre that holds the case."""
    return by.works_in_centre and by.agency_id == case.agency_id


def receives(by: Staff, referral: Referral) -> bool:
    """Staff of the receiving agency who work with records."""
    return bool(by.agency_id) and by.agency_id == referral.to_agency_id and by.role not in NO_RECORDS_ROLES


def sent_by_centre_of(by: Staff, referral: Referral) -> bool:
    return by.works_in_centre and by.agency_id == referral.from_agency_id


# -- sending ----------------------------------------------------------------------


def send(
    case: Case,
    by: Staff,
    to_agency: Agency | None,
    categories: Iterable[str],
    request: str,
    basis: str = LegalBasis.CONSENT,
    emergency_reason: str = "",
) -> Referral:
    """Send the person to `to_agency` with the chosen categories of information."""
    chosen = set(categories)
    if not sends_for(by, case):
        raise ReferralError(_("つなぎは、ケースを持つセンターの職員だけが送れます。"))
    if case.state in FINISHED_CASE_STATES:
        raise ReferralError(_("終了したケースからはつなげません。"))
    to_agency = _checked_agency(case, to_agency)
    if not request.strip():
        raise ReferralError(_("つなぎ先に依頼する内容を書いてください。"), field="request")
    if chosen - set(Category.values):
        raise ReferralError(_("送る情報の区分が正しくありません。"), field="categories")
    if basis not in REFERRAL_BASES:
        raise ReferralError(_("つなぎの根拠は「本人の同意」か「緊急の必要」のどちらかです。"), field="basis")
    emergency_reason = emergency_reason.strip()
    if basis == LegalBasis.EMERGENCY and not emergency_reason:
        raise ReferralError(
            _("同意なしに緊急で情報を送るときは、その理由（生命・身体を守るための必要）を書いてください。"),
            field="emergency_reason",
        )
    ordered = [c for c in Category.values if c in chosen]
    with transaction.atomic():
        consent = None
        if basis == LegalBasis.CONSENT:
            covered = categories_for(case.person, to_agency, Purpose.REFERRAL)
            uncovered = [c for c in ordered if c not in covered]
            if uncovered:
                raise ReferralError(_uncovered_message(case.person, to_agency, uncovered), field="categories")
            consent = _consent_used(case.person, to_agency, ordered)
        answer_by = timezone.localdate() + dt.timedelta(days=settings.TSUNAGU["REFERRAL_ANSWER_DAYS"])
        task = Task.objects.create(
            case=case,
            title=_("%(agency)sからのつなぎの回答を確認する") % {"agency": named(case.person, to_agency)},
            kind=TaskKind.REFERRAL_ANSWER,
            due_on=answer_by,
            assignee=by,
            created_by=by,
        )
        referral = Referral.objects.create(
            case=case,
            person=case.person,
            from_agency=case.agency,
            to_agency=to_agency,
            referred_by=by,
            request=request.strip(),
            categories=ordered,
            snapshot=take_snapshot(case, ordered),
            basis=basis,
            consent=consent,
            emergency_reason=emergency_reason if basis == LegalBasis.EMERGENCY else "",
            answer_by=answer_by,
            task=task,
        )
        _log_sent(referral, by)
    return referral


def send_from_handoff(
    sender: Any, *, case: Case, by: Staff, to_agency: Agency, reason: str, task: Task, **kwargs: Any
) -> Referral:
    """The screening outcome 他機関へつなぎ (the cases.transitions.handed_off signal, inside
    the move's transaction): a referral with the basic information if consent allows it,
    followed by the move's follow-up task until the receiving agency confirms contact."""
    covered = categories_for(case.person, to_agency, Purpose.REFERRAL)
    categories = [Category.BASIC] if Category.BASIC in covered else []
    referral = Referral.objects.create(
        case=case,
        person=case.person,
        from_agency=case.agency,
        to_agency=to_agency,
        referred_by=by,
        request=reason.strip()
        or _(
            "スクリーニングの結果、貴機関での支援が適していると判断しました。"
            "本人と会えたら、この画面で「本人と接触した」ことを知らせてください。"
        ),
        categories=categories,
        snapshot=take_snapshot(case, categories, self_contact=not categories),
        basis=LegalBasis.CONSENT,
        consent=_consent_used(case.person, to_agency, categories),
        from_handoff=True,
        answer_by=task.due_on,
        task=task,
    )
    _log_sent(referral, by)
    return referral


def _checked_agency(case: Case, to_agency: Agency | None) -> Agency:
    if to_agency is None:
        raise ReferralError(_("つなぎ先の機関を選んでください。"), field="to_agency")
    if to_agency.municipality_id != case.agency.municipality_id or to_agency.pk == case.agency_id:
        raise ReferralError(_("つなぎ先には同じ自治体の他の機関を選んでください。"), field="to_agency")
    return to_agency


def _referral_consents(person: Person, agency: Agency, *, in_force: bool = True) -> list[Consent]:
    consents = Consent.objects.filter(person=person).prefetch_related("agencies")
    consents = consents.in_force() if in_force else consents.filter(withdrawn_at__isnull=False)
    return [c for c in consents if Purpose.REFERRAL in c.purposes and c.names_agency(agency)]


def _consent_used(person: Person, agency: Agency, categories: Sequence[str]) -> Consent | None:
    """The consent in force that covers most of the categories sent (the newest first)."""
    if not categories:
        return None
    candidates = _referral_consents(person, agency)
    return max(candidates, key=lambda c: len(set(categories) & set(c.categories)), default=None)


def _uncovered_message(person: Person, agency: Agency, uncovered: list[str]) -> str:
    labels = "、".join(f"「{CATEGORY_TITLES[c]}」" for c in uncovered)
    message = _(
        "%(labels)sは、%(agency)sへのつなぎに使える本人の同意がありません。"
        "同意を記録するか、送る情報から外してください。"
    ) % {"labels": labels, "agency": agency.name}
    withdrawn = _referral_consents(person, agency, in_force=False)
    if any(c in consent.categories for consent in withdrawn for c in uncovered):
        message += _("（この機関への同意は撤回されています）")
    return message


def _log_sent(referral: Referral, by: Staff) -> None:
    titles = "・".join(str(CATEGORY_TITLES[c]) for c in referral.categories) or _("なし")
    detail = _("%(agency)sへつなぎました（送った情報: %(titles)s）") % {
        "agency": named(referral.person, referral.to_agency),
        "titles": titles,
    }
    if referral.basis == LegalBasis.EMERGENCY:
        detail += _("［同意なし・緊急: %(reason)s］") % {"reason": referral.emergency_reason}
    # Nothing of the record leaves with a referral that carries no category on consent.
    if referral.categories or referral.basis != LegalBasis.CONSENT:
        disclose(
            person=referral.person,
            to_agency=referral.to_agency,
            channel=Channel.REFERRAL,
            categories=referral.categories,
            basis=referral.basis,
            by=by,
            case=referral.case,
            consent=referral.consent,
            reason=referral.emergency_reason,
            source=referral,
        )
    TimelineEntry.objects.create(
        case=referral.case, at=referral.sent_at, kind=TimelineKind.REFERRAL, actor=by, detail=detail[:500], shared=False
    )
    record(
        by,
        Action.CREATE,
        referral,
        changes={
            "to_agency": referral.to_agency.name,
            "categories": referral.categories,
            "basis": referral.basis,
            "answer_by": referral.answer_by,
            "from_handoff": referral.from_handoff,
        },
        detail=detail,
    )


# -- the answers and the loop -----------------------------------------------------


def accept(
    referral: Referral, by: Staff, receiving_worker: Staff | None = None, *, expected_version: int | None = None
) -> Referral:
    worker = receiving_worker or by
    with transaction.atomic():
        locked = _lock(referral, by, expected_version, {R.SENT}, receives)
        if worker.agency_id != locked.to_agency_id or worker.role in NO_RECORDS_ROLES:
            raise ReferralError(_("受入れ担当者には、つなぎ先の機関の職員を選んでください。"), field="receiving_worker")
        now = timezone.now()
        _finish(
            locked,
            by,
            R.ACCEPTED,
            {"answered_at": now, "answered_by": by, "receiving_worker": worker},
            _("%(agency)sが受け入れました（担当: %(worker)s）")
            % {"agency": named(locked.person, locked.to_agency), "worker": worker},
            # A hand-off keeps its follow-up task until contact is confirmed.
            complete_task=not locked.from_handoff,
        )
    return _refreshed(referral, locked)


def decline(referral: Referral, by: Staff, reason: str, *, expected_version: int | None = None) -> Referral:
    reason = reason.strip()
    with transaction.atomic():
        locked = _lock(referral, by, expected_version, {R.SENT}, receives)
        if not reason:
            raise ReferralError(
                _("お断りの理由を書いてください。紹介元が次のつなぎ先を考える手がかりになります。"), field="reason"
            )
        _finish(
            locked,
            by,
            R.DECLINED,
            {"answered_at": timezone.now(), "answered_by": by, "decline_reason": reason[:500]},
            _("%(agency)sがお断りしました: %(reason)s")
            % {"agency": named(locked.person, locked.to_agency), "reason": reason},
            complete_task=not locked.from_handoff,
        )
    return _refreshed(referral, locked)


def confirm_contact(
    referral: Referral, by: Staff, contacted_on: dt.date | None, *, expected_version: int | None = None
) -> Referral:
    """The receiving agency has met or spoken with the person. From 回答待ち this is also
    the answer (the person came before the referral was accepted)."""
    with transaction.atomic():
        locked = _lock(referral, by, expected_version, {R.SENT, R.ACCEPTED}, receives)
        if contacted_on is None:
            raise ReferralError(_("本人と接触した日を入れてください。"), field="contacted_on")
        if contacted_on > timezone.localdate():
            raise ReferralError(_("接触した日が未来の日付になっています。"), field="contacted_on")
        if contacted_on < timezone.localtime(locked.sent_at).date():
            raise ReferralError(_("接触した日が、つなぎを送った日より前になっています。"), field="contacted_on")
        fields: dict[str, Any] = {"contacted_on": contacted_on}
        if locked.status == R.SENT:
            fields.update(answered_at=timezone.now(), answered_by=by, receiving_worker=by)
        _finish(
            locked,
            by,
            R.CONTACTED,
            fields,
            _("%(agency)sが本人と接触しました（%(day)s）")
            % {"agency": named(locked.person, locked.to_agency), "day": format_wareki(contacted_on, seireki=False)},
            complete_task=True,
        )
    return _refreshed(referral, locked)


def record_outcome(referral: Referral, by: Staff, outcome: str, *, expected_version: int | None = None) -> Referral:
    outcome = outcome.strip()
    with transaction.atomic():
        locked = _lock(referral, by, expected_version, {R.ACCEPTED, R.CONTACTED}, receives)
        if not outcome:
            raise ReferralError(_("結果（どのような支援につながったか）を書いてください。"), field="outcome")
        _finish(
            locked,
            by,
            R.COMPLETED,
            {"outcome": outcome[:5000], "outcome_at": timezone.now()},
            _("%(agency)sから結果の報告: %(outcome)s")
            % {"agency": named(locked.person, locked.to_agency), "outcome": outcome[:200]},
            complete_task=True,
        )
    return _refreshed(referral, locked)


def withdraw(referral: Referral, by: Staff, reason: str, *, expected_version: int | None = None) -> Referral:
    reason = reason.strip()
    with transaction.atomic():
        locked = _lock(referral, by, expected_version, OPEN_STATUSES, sent_by_centre_of)
        if not reason:
            raise ReferralError(_("取り下げる理由を書いてください。"), field="reason")
        _finish(
            locked,
            by,
            R.WITHDRAWN,
            {"withdrawn_at": timezone.now(), "withdraw_reason": reason[:500]},
            _("%(agency)sへのつなぎを取り下げました: %(reason)s")
            % {"agency": named(locked.person, locked.to_agency), "reason": reason},
            complete_task=True,
        )
    return _refreshed(referral, locked)


def _lock(
    referral: Referral,
    by: Staff,
    expected_version: int | None,
    statuses: Iterable[str],
    allowed: Callable[[Staff, Referral], bool],
) -> Referral:
    # No select_related: PostgreSQL cannot lock the nullable side of an outer join.
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if not allowed(by, locked):
        if allowed is sent_by_centre_of:
            raise ReferralError(_("この操作は、つなぎを送ったセンターの職員だけが行えます。"))
        raise ReferralError(_("この操作は、つなぎ先の機関の職員だけが行えます。"))
    if expected_version is not None and locked.version != expected_version:
        raise ReferralError(
            _(
                "このつなぎは他の職員が先に更新しました（現在: %(status)s）。"
                "画面の内容を確かめてから、もう一度操作してください。"
            )
            % {"status": locked.get_status_display()}
        )
    if locked.status not in statuses:
        raise ReferralError(
            _("このつなぎは「%(status)s」のため、この操作はできません。") % {"status": locked.get_status_display()}
        )
    return locked


def _finish(
    locked: Referral, by: Staff, status: str, fields: dict[str, Any], detail: str, *, complete_task: bool
) -> None:
    """Save the new status and fields, close the referrer's task, and log it all."""
    before = locked.status
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.status = status
    locked.version += 1
    locked.save(update_fields=[*fields, "status", "version"])
    task = locked.task
    if complete_task and task is not None and task.done_at is None:
        task.done_at, task.done_by = timezone.now(), by
        task.save(update_fields=["done_at", "done_by"])
        TimelineEntry.objects.create(
            case_id=locked.case_id, kind=TimelineKind.TASK_DONE, actor=by, detail=task.title, shared=False
        )
    TimelineEntry.objects.create(
        case_id=locked.case_id, kind=TimelineKind.REFERRAL, actor=by, detail=detail[:500], shared=False
    )
    changes: dict[str, Any] = {"status": [before, status]}
    changes.update({name: str(value) for name, value in fields.items()})
    record(by, Action.CHANGE, locked, changes=changes, detail=detail)


def _refreshed(referral: Referral, locked: Referral) -> Referral:
    """Hand the caller the fresh state without another query (as cases.transitions.move);
    setattr drops a cached related object whose id changed."""
    for field in Referral._meta.concrete_fields:
        setattr(referral, field.attname, getattr(locked, field.attname))
    return referral
