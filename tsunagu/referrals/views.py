"""Views of the referrals app: sending from a case, the receiving agency's inbox, and
the referral page with the answers that fit the viewer and the status."""

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models.fields.json import KT
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tsunagu.accounts.decorators import centre_staff_required, current_staff, staff_required
from tsunagu.accounts.models import Agency, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import Case
from tsunagu.consents.models import Category, Purpose, categories_for
from tsunagu.lib.forms import posted
from tsunagu.lib.versioning import refuse_stale_form
from tsunagu.people.models import location_annotations
from tsunagu.referrals import flow
from tsunagu.referrals.access import (
    SeenReferral,
    case_to_refer_from,
    consent_still_allows,
    mark_consent_allows,
    referral_for,
    referrals_received_by,
    referrals_sent_by,
    sees_location,
)
from tsunagu.referrals.forms import (
    AcceptForm,
    AgencyChoiceForm,
    ContactForm,
    DeclineForm,
    OutcomeForm,
    ReferralForm,
    WithdrawForm,
    agencies_to_refer_to,
)
from tsunagu.referrals.models import OPEN_STATUSES, Referral, ReferralStatus
from tsunagu.referrals.snapshot import CATEGORY_TITLES, without_location

R = ReferralStatus
# Rows per list on the inbox: every open referral up to this many, then the latest others.
OPEN_LIMIT = 200
CLOSED_LIMIT = 50


# -- sending ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@centre_staff_required
def referral_new(request: HttpRequest, case_code: uuid.UUID) -> HttpResponse:
    """Step one chooses the agency (a GET form; `?to_agency=` from the resource
    directory lands here directly); step two shows what consent covers for it and sends."""
    user = current_staff(request)
    case = case_to_refer_from(user, case_code)
    agency = _chosen_agency(request, case)
    if agency is None:
        chooser = AgencyChoiceForm(request.GET if "to_agency" in request.GET else None, case=case)
        return render(request, "referrals/referral_new.html", {"case": case, "chooser": chooser})
    covered = categories_for(case.person, agency, Purpose.REFERRAL)
    initial = {"to_agency": agency.pk, "categories": [Category.BASIC] if Category.BASIC in covered else []}
    form = ReferralForm(posted(request), case=case, covered=covered, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = flow.send(
                    case,
                    user,
                    data["to_agency"],
                    data["categories"],
                    data["request"],
                    basis=data["basis"],
                    emergency_reason=data["emergency_reason"],
                )
            except flow.ReferralError as failure:
                form.add_error(failure.field if failure.field in form.fields else None, failure.message)
            else:
                messages.success(
                    request, _("%(agency)sへつなぎました。回答を待つタスクを作りました。") % {"agency": agency.name}
                )
                return redirect(referral)
    coverage = [(CATEGORY_TITLES[c], c in covered) for c in Category.values]
    context = {"case": case, "agency": agency, "form": form, "coverage": coverage, "any_covered": bool(covered)}
    return render(request, "referrals/referral_new.html", context, status=status)


def _chosen_agency(request: HttpRequest, case: Case) -> Agency | None:
    value = request.POST.get("to_agency") if request.method == "POST" else request.GET.get("to_agency")
    if not value or not value.isdigit():
        return None
    return agencies_to_refer_to(case).filter(pk=int(value)).first()


# -- the lists --------------------------------------------------------------------


@require_http_methods(["GET"])
@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    """What was sent to the user's agency (open first, the most urgent on top), and for
    centre staff what their centre sent."""
    user = current_staff(request)
    # The name comes from what was sent (only with BASIC), never from the person record.
    received = (
        referrals_received_by(user)
        .defer("snapshot")
        .annotate(sent_name=KT("snapshot__name"))
        .select_related("from_agency", "referred_by", "consent")
    )
    received_open = list(received.filter(status__in=OPEN_STATUSES).order_by("answer_by", "sent_at")[:OPEN_LIMIT])
    received_closed = list(received.exclude(status__in=OPEN_STATUSES).order_by("-sent_at")[:CLOSED_LIMIT])
    if user.agency is not None:
        # A name sent on a consent since withdrawn is not shown any more (as on the referral's page).
        mark_consent_allows([*received_open, *received_closed], user.agency)
    context: dict[str, Any] = {
        "received_open": received_open,
        "received_closed": received_closed,
        "sent_open": [],
        "sent_closed": [],
        "today": timezone.localdate(),
    }
    if user.works_in_centre:
        _confidential, visible = location_annotations(user, "person_id")
        sent = (
            referrals_sent_by(user)
            .defer("snapshot")
            .select_related("to_agency", "person", "referred_by")
            # Where a person under whereabouts confidentiality was sent is for her team.
            .annotate(agency_visible=visible)
        )
        context["sent_open"] = list(sent.filter(status__in=OPEN_STATUSES).order_by("answer_by", "sent_at")[:OPEN_LIMIT])
        context["sent_closed"] = list(sent.exclude(status__in=OPEN_STATUSES).order_by("-sent_at")[:CLOSED_LIMIT])
    return render(request, "referrals/inbox.html", context)


# -- one referral -----------------------------------------------------------------


@require_http_methods(["GET"])
@staff_required
def referral_detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = referral_for(user, code)
    # Every look at what was sent is on the person's access log. Sending was the
    # disclosure: reading it on the receiving side writes no second Disclosure.
    record(user, Action.VIEW, seen.referral, path=request.path, detail=seen.side)
    return render(request, "referrals/referral_detail.html", _detail_context(user, seen))


def _detail_context(user: Staff, seen: SeenReferral, failed: tuple[str, forms.Form] | None = None) -> dict[str, Any]:
    referral, sender, receiver = seen.referral, seen.sender, seen.receiver
    consent_ok = consent_still_allows(referral)
    snapshot = referral.snapshot
    if not sees_location(user, referral):
        snapshot = without_location(snapshot)
    action_forms: dict[str, forms.Form] = {}
    initial = {"version": referral.version}
    if receiver and referral.status == R.SENT:
        action_forms["accept"] = AcceptForm(
            agency_id=referral.to_agency_id, prefix="accept", initial={**initial, "receiving_worker": user.pk}
        )
        action_forms["decline"] = DeclineForm(prefix="decline", initial=initial)
    if receiver and referral.status in (R.SENT, R.ACCEPTED):
        action_forms["contact"] = ContactForm(
            prefix="contact", initial={**initial, "contacted_on": timezone.localdate()}
        )
    if receiver and referral.status in (R.ACCEPTED, R.CONTACTED):
        action_forms["outcome"] = OutcomeForm(prefix="outcome", initial=initial)
    if flow.sent_by_centre_of(user, referral) and referral.is_open:
        action_forms["withdraw"] = WithdrawForm(prefix="withdraw", initial=initial)
    failed_form = None
    if failed is not None:
        name, failed_form = failed
        if name in action_forms:
            action_forms[name] = failed_form
    return {
        "referral": referral,
        "sender": sender,
        "receiver": receiver,
        "snapshot": snapshot,
        "show_snapshot": sender or consent_ok,
        "consent_ok": consent_ok,
        "category_titles": [CATEGORY_TITLES[c] for c in referral.categories if c in CATEGORY_TITLES],
        "forms": action_forms,
        "failed_form": failed_form,
    }


Step = Callable[[dict[str, Any]], Referral]


def _apply(
    request: HttpRequest, referral: Referral, name: str, form: forms.Form, step: Step, done: str
) -> HttpResponse:
    """Take a step with a valid form; otherwise show the page again with the errors by
    the fields (422), the user's input kept."""
    user = current_staff(request)
    if form.is_valid():
        try:
            step(form.cleaned_data)
        except flow.ReferralError as failure:
            current = Referral.objects.get(pk=referral.pk)
            if current.version != form.cleaned_data["version"]:
                refuse_stale_form(form, current, failure.message, field=form.add_prefix("version"))
            else:
                form.add_error(failure.field if failure.field in form.fields else None, failure.message)
        else:
            messages.success(request, done)
            return redirect(referral)
    fresh = referral_for(user, referral.code)
    record(user, Action.VIEW, fresh.referral, path=request.path, detail=fresh.side)
    messages.error(request, _("操作できませんでした。内容を確認してください。"))
    return render(request, "referrals/referral_detail.html", _detail_context(user, fresh, (name, form)), status=422)


@require_POST
@staff_required
def referral_accept(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    referral = referral_for(user, code, write=True).referral
    form = AcceptForm(request.POST, agency_id=referral.to_agency_id, prefix="accept")

    def step(data: dict[str, Any]) -> Referral:
        return flow.accept(referral, user, data["receiving_worker"], expected_version=data["version"])

    return _apply(request, referral, "accept", form, step, _("受け入れました。紹介元に伝わります。"))


@require_POST
@staff_required
def referral_decline(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    referral = referral_for(user, code, write=True).referral
    form = DeclineForm(request.POST, prefix="decline")

    def step(data: dict[str, Any]) -> Referral:
        return flow.decline(referral, user, data["reason"], expected_version=data["version"])

    return _apply(request, referral, "decline", form, step, _("お断りを伝えました。"))


@require_POST
@staff_required
def referral_contact(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    referral = referral_for(user, code, write=True).referral
    form = ContactForm(request.POST, prefix="contact")

    def step(data: dict[str, Any]) -> Referral:
        return flow.confirm_contact(referral, user, data["contacted_on"], expected_version=data["version"])

    return _apply(request, referral, "contact", form, step, _("本人と接触したことを紹介元に伝えました。"))


@require_POST
@staff_required
def referral_outcome(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    referral = referral_for(user, code, write=True).referral
    form = OutcomeForm(request.POST, prefix="outcome")

    def step(data: dict[str, Any]) -> Referral:
        return flow.record_outcome(referral, user, data["outcome"], expected_version=data["version"])

    return _apply(request, referral, "outcome", form, step, _("結果を紹介元に報告しました。"))


@require_POST
@staff_required
def referral_withdraw(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    referral = referral_for(user, code, write=True).referral
    form = WithdrawForm(request.POST, prefix="withdraw")

    def step(data: dict[str, Any]) -> Referral:
        return flow.withdraw(referral, user, data["reason"], expected_version=data["version"])

    return _apply(request, referral, "withdraw", form, step, _("つなぎを取り下げました。"))
