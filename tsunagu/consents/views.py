"""Views of the consents app: a person's consents, recording and withdrawing one, an
emergency disclosure on a case, and the register of who received the person's
information (情報提供の記録), on screen and as PDF for a 開示請求."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from tsunagu.accounts.decorators import current_staff, staff_required
from tsunagu.audit.models import Action, record
from tsunagu.cases.access import cases_visible_to
from tsunagu.consents.access import consent_for, consent_person_for, emergency_case_for, register_person_for
from tsunagu.consents.forms import ConsentForm, EmergencyForm, WithdrawForm
from tsunagu.consents.models import (
    Consent,
    ConsentError,
    Disclosure,
    DisclosureQuerySet,
    disclose_in_emergency,
    record_consent,
    withdraw_consent,
)
from tsunagu.lib.downloads import content_disposition, file_names
from tsunagu.lib.forms import posted
from tsunagu.lib.pdf import render_pdf
from tsunagu.lib.wareki import age_on
from tsunagu.people.access import person_for

REGISTER_PER_PAGE = 50


def _consents_url(person_code: uuid.UUID) -> str:
    return reverse("consents:person", kwargs={"code": person_code})


@require_GET
@staff_required
def person_consents(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """A person's consents: in force, ended (replaced or past their end) and withdrawn."""
    user = current_staff(request)
    person = consent_person_for(user, code)
    consents = (
        Consent.objects.filter(person=person)
        .select_related("recorded_by", "withdrawn_by", "case", "superseded_by")
        .prefetch_related("agencies")
    )
    groups: dict[str, list[Consent]] = {"in_force": [], "ended": [], "withdrawn": []}
    for consent in consents:
        groups[consent.status].append(consent)
    record(user, Action.VIEW, person, object_type="consents.consent", path=request.path)
    return render(request, "consents/person_consents.html", {"person": person, **groups})


@require_http_methods(["GET", "POST"])
@staff_required
def consent_new(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    person = consent_person_for(user, code)
    cases = cases_visible_to(user).filter(person=person, agency=user.agency).order_by("-opened_on")
    initial = {"given_on": timezone.localdate(), "case": request.GET.get("case", "")}
    form = ConsentForm(posted(request), person=person, cases=cases, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record_consent(
            person,
            user,
            case=data["case"],
            agencies=data["agencies"],
            agency_kinds=data["agency_kinds"],
            purposes=data["purposes"],
            categories=form.all_categories(),
            method=data["method"],
            given_on=data["given_on"],
            ends_on=data["ends_on"],
            note=data["note"],
        )
        messages.success(request, _("同意を記録しました。"))
        return redirect(_consents_url(person.code))
    status = 422 if request.method == "POST" else 200
    return render(request, "consents/consent_form.html", {"person": person, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def consent_withdraw(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """The person withdraws a consent: it takes effect at once."""
    user = current_staff(request)
    consent = consent_for(user, code, write=request.method == "POST")
    form = WithdrawForm(posted(request))
    if request.method == "GET":
        record(user, Action.VIEW, consent, path=request.path)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw_consent(consent, user, form.cleaned_data["note"])
        except ConsentError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("同意の撤回を記録しました。この時点から、関係機関には表示されません。"))
            return redirect(_consents_url(consent.person.code))
    status = 422 if request.method == "POST" else 200
    # The person through the access function: it says whether her whereabouts (and so the
    # agencies named by the consent) may be shown.
    person = person_for(user, consent.person.code).person
    return render(
        request, "consents/withdraw_form.html", {"consent": consent, "person": person, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@staff_required
def emergency(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Record information given to protect someone's life or body without consent."""
    user = current_staff(request)
    case = emergency_case_for(user, code)
    form = EmergencyForm(posted(request), case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        disclose_in_emergency(
            case,
            user,
            agency=data["agency"],
            categories=form.all_categories(),
            reason=data["reason"],
            recipient_name=data["recipient_name"],
        )
        messages.success(request, _("緊急時の情報提供を記録しました。提供先がこのケースを見られるようにはなりません。"))
        return redirect(case)
    status = 422 if request.method == "POST" else 200
    return render(request, "consents/emergency_form.html", {"case": case, "form": form}, status=status)


def _disclosures(person_id: int) -> DisclosureQuerySet:
    return Disclosure.objects.filter(person_id=person_id).select_related(
        "recipient_agency", "recipient", "consent", "disclosed_by", "case"
    )


@require_GET
@staff_required
def register(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Who received this person's information, newest first."""
    user = current_staff(request)
    person = register_person_for(user, code)
    page = Paginator(_disclosures(person.pk), REGISTER_PER_PAGE).get_page(request.GET.get("page"))
    record(user, Action.VIEW, person, object_type="consents.register", path=request.path)
    return render(request, "consents/register.html", {"person": person, "page": page})


@require_GET
@staff_required
@never_cache
def register_pdf(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """The register as an A4 PDF, to hand to the person who asked (開示請求)."""
    user = current_staff(request)
    person = register_person_for(user, code)
    disclosures = list(_disclosures(person.pk))
    now = timezone.now()
    html = render_to_string(
        "consents/print/register.html",
        {
            "person": person,
            "disclosures": disclosures,
            "age": age_on(person.birth_date, timezone.localdate()) if person.birth_date else None,
            "agency": user.agency,
            "printed_at": now,
            "printed_by": user,
        },
    )
    pdf, _pages = render_pdf(html)
    record(
        user,
        Action.EXPORT,
        person,
        object_type="consents.register.pdf",
        detail=_("%(n)s件") % {"n": len(disclosures)},
        path=request.path,
    )
    names = file_names(_("情報提供の記録"), "disclosures", person.code, timezone.localdate(), "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition("inline", *names)
    return response
