import re
import uuid
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from tsunagu.accounts.decorators import centre_staff_required, current_staff, staff_required
from tsunagu.accounts.models import Staff
from tsunagu.audit.models import Action, AuditEvent, record
from tsunagu.lib.contact import normalise_phone
from tsunagu.lib.forms import posted
from tsunagu.lib.kana import is_kana, to_katakana
from tsunagu.lib.paging import COUNT_BOUND, BoundedPaginator
from tsunagu.lib.versioning import StaleEditError, changed_fields, refuse_stale_form, save_if_current, stale_edit
from tsunagu.people.access import (
    SeenPerson,
    confidentiality_for,
    people_visible_to,
    person_for,
    possible_duplicates,
    search_people,
    sees_municipality_records,
)
from tsunagu.people.forms import (
    PERSON_FIELDS,
    ConfidentialityForm,
    EmergencyReadForm,
    HouseholdMemberForm,
    LiftForm,
    PersonEditForm,
    PersonForm,
    PersonSearchForm,
)
from tsunagu.people.models import (
    EmergencyRead,
    Household,
    HouseholdMember,
    Person,
    Relation,
    WhereaboutsConfidentiality,
)
from tsunagu.people.panels import PERSON_PANELS
from tsunagu.people.sharing import people_with_basic_shared, withhold_from_team

SEARCH_LIMIT = 50
NUMBER = re.compile(r"[\d()-]+")


@require_http_methods(["GET"])
@staff_required
def person_list(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    form = PersonSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    people = people_visible_to(user).select_related("district")
    team_level = not sees_municipality_records(user)
    if query:
        people = search_people(user, query, path=request.path).select_related("district")
        if team_level:  # a match on a name the partner may not see would tell them the name
            people = people_with_basic_shared(user, people)
    # Page over ids in reading order, then read the page's rows (ids_in_reading_order).
    page = BoundedPaginator(people.ids_in_reading_order(query, COUNT_BOUND), SEARCH_LIMIT).get_page(
        request.GET.get("page")
    )
    rows = people.in_bulk([pk for pk, _reading in page.object_list])
    # (one deleted between the two reads is left out rather than failing the page)
    page.object_list = [rows[pk] for pk, _reading in page.object_list if pk in rows]
    if team_level:  # names only as far as the person's consents go (people.sharing)
        withhold_from_team(user, [(person, None) for person in page.object_list])
    context = {"form": form, "query": query, "page": page}
    if request.headers.get("HX-Request"):
        return render(request, "people/person_list.html#results", context)
    return render(request, "people/person_list.html", context)


def initial_from_search(query: str) -> dict[str, str]:
    """What was typed in the search, carried into the new person's form (「新しく登録する」):
    a reading to the kana fields, a name to the name fields, a number to the phone."""
    words = query.replace("\u3000", " ").split()
    if not words or len(words) > 2:
        return {}
    number = normalise_phone(query)
    if NUMBER.fullmatch(number):
        return {"phone": number}
    family, given = words[0], words[1] if len(words) > 1 else ""
    if is_kana("".join(words)):
        return {"family_name_kana": to_katakana(family), "given_name_kana": to_katakana(given)}
    return {"family_name": family, "given_name": given}


@require_http_methods(["GET", "POST"])
@centre_staff_required
def person_new(request: HttpRequest) -> HttpResponse:
    """Search before create: a second record is made only after the worker has seen
    the people who may be the same and said this one is different."""
    user = current_staff(request)
    initial = initial_from_search(request.GET.get("q", ""))
    form = PersonForm(posted(request), municipality_id=user.municipality_id, initial=initial)
    duplicates: list[Person] = []
    if request.method == "POST" and form.is_valid():
        duplicates = list(possible_duplicates(user, form.cleaned_data))
        if request.headers.get("HX-Request") and "check" in request.POST:
            return render(request, "people/person_new.html#duplicates", {"duplicates": duplicates})
        if not duplicates or request.POST.get("confirmed_new") == "1":
            person = form.save(commit=False)
            person.municipality_id = user.municipality_id
            person.created_by = user
            with transaction.atomic():
                person.save()
                record(user, Action.CREATE, person, changes={f: str(getattr(person, f)) for f in PERSON_FIELDS})
            messages.success(request, _("%(name)sさんを登録しました。") % {"name": person.full_name})
            return redirect(person)
    elif request.method == "POST" and request.headers.get("HX-Request") and "check" in request.POST:
        return render(request, "people/person_new.html#duplicates", {"duplicates": []})
    return render(request, "people/person_new.html", {"form": form, "duplicates": duplicates})


@require_http_methods(["GET"])
@staff_required
def person_detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = person_for(user, code)
    person = seen.person
    record(user, Action.VIEW, person, path=request.path)
    if not seen.full:
        withhold_from_team(user, [(person, None)])  # only what the person's consents cover
    context: dict[str, Any] = {"person": person, "full": seen.full}
    for panel in PERSON_PANELS:  # her cases (cases.panels.person_cases)
        context.update(panel(user, seen))
    if seen.full:
        context["orders"] = person.confidentiality_orders.select_related(
            "requested_by", "confirmed_by", "lift_requested_by", "lifted_by"
        )
    if seen.full and seen.location_visible:
        membership = HouseholdMember.objects.select_related("household").filter(person=person).first()
        if membership:
            context["household_members"] = (
                people_visible_to(user)
                .filter(household_membership__household=membership.household)
                .select_related("household_membership")
                .order_by("-household_membership__is_head", "birth_date")
            )
    return render(request, "people/person_detail.html", context)


@require_http_methods(["GET", "POST"])
@centre_staff_required
def person_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = person_for(user, code, write=True)
    person = seen.person
    if not seen.location_visible:
        # Editing shows the address; outside the case team that is not allowed.
        messages.error(request, _("所在秘匿の対象者の連絡先は、ケースチームと主任相談支援員だけが編集できます。"))
        return redirect(person)
    before = Person.objects.get(pk=person.pk)
    form = PersonEditForm(
        posted(request), instance=person, municipality_id=user.municipality_id, initial={"version": person.version}
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                save_if_current(person, form.cleaned_data["version"], PERSON_FIELDS)
                record(user, Action.CHANGE, person, changes=changed_fields(before, person, PERSON_FIELDS))
        except StaleEditError as error:
            stale = error.current
            refuse_stale_form(
                form,
                stale,
                stale_edit(_("記録")),
            )
        else:
            messages.success(request, _("保存しました。"))
            return redirect(person)
    record(user, Action.VIEW, person, path=request.path)  # the form shows the record
    return render(request, "people/person_edit.html", {"form": form, "person": person, "stale": stale})


@require_http_methods(["GET", "POST"])
@centre_staff_required
def household_add(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Link another person of the municipality into this person's household."""
    user = current_staff(request)
    seen = person_for(user, code, write=True)
    person = seen.person
    if not seen.location_visible:
        messages.error(request, _("所在秘匿の対象者の世帯は、ケースチームと主任相談支援員だけが編集できます。"))
        return redirect(person)
    search = PersonSearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    results = (
        search_people(user, query, path=request.path, purpose="household")
        .exclude(pk=person.pk)
        .select_related("household_membership")[:20]
        if query
        else []
    )
    form = HouseholdMemberForm(posted(request))
    if request.method == "POST" and form.is_valid():
        member = person_for(user, form.cleaned_data["member"], write=True)
        error = _link_household(user, person, member, form.cleaned_data["relation"])
        if error is None:
            messages.success(request, _("%(name)sさんを世帯に加えました。") % {"name": member.person.full_name})
            return redirect(person)
        form.add_error(None, error)
    record(user, Action.VIEW, person, path=request.path)  # search_people audits the search by its kind
    return render(
        request,
        "people/household_add.html",
        {"person": person, "search": search, "query": query, "results": results, "form": form},
    )


def _link_household(user: Staff, person: Person, seen_member: SeenPerson, relation: str) -> str | None:
    if not seen_member.location_visible:
        return _("所在秘匿の対象者は、そのケースチームの職員だけが世帯に加えられます。")
    member = seen_member.person
    if HouseholdMember.objects.filter(person=member).exists():
        return _("%(name)sさんはすでに別の世帯に登録されています。") % {"name": member.full_name}
    try:
        with transaction.atomic():
            own = HouseholdMember.objects.select_related("household").filter(person=person).first()
            if own is None:
                household = Household.objects.create(municipality_id=person.municipality_id)
                own = HouseholdMember.objects.create(
                    household=household, person=person, relation=Relation.HEAD, is_head=True
                )
            HouseholdMember.objects.create(household=own.household, person=member, relation=relation, is_head=False)
            record(
                user,
                Action.CHANGE,
                person,
                object_type="people.household",
                object_code=str(own.household.code),
                changes={"added_member": str(member.code), "relation": relation},
            )
    except IntegrityError:
        return _("世帯の登録が重なりました。画面を更新してもう一度お試しください。")
    return None


@require_http_methods(["GET", "POST"])
@centre_staff_required
def confidentiality_new(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Request whereabouts confidentiality. It protects from this moment; a second
    staff member confirms it."""
    user = current_staff(request)
    person = person_for(user, code, write=True).person
    form = ConfidentialityForm(posted(request))
    if request.method == "POST" and form.is_valid():
        order = form.save(commit=False)
        order.person = person
        order.requested_by = user
        with transaction.atomic():
            order.save()
            record(
                user,
                Action.CREATE,
                order,
                person_code=person.code,
                changes={"source": order.source, "starts_on": order.starts_on, "ends_on": order.ends_on},
            )
        messages.success(
            request, _("支援措置（所在秘匿）を登録しました。別の職員の確認を待っています。確認を待つ間も秘匿されます。")
        )
        return redirect(person)
    return render(request, "people/confidentiality_form.html", {"form": form, "person": person})


@require_POST
@centre_staff_required
def confidentiality_confirm(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    order = confidentiality_for(user, code)
    if order.requested_by_id == user.pk:
        messages.error(request, _("登録した本人は確認できません。別の職員に確認を依頼してください。"))
    elif not order.awaiting_confirmation:
        messages.error(request, _("この支援措置は確認済みか、解除されています。"))
    else:
        order.confirmed_by = user
        order.confirmed_at = timezone.now()
        with transaction.atomic():
            order.save(update_fields=["confirmed_by", "confirmed_at"])
            record(user, Action.CHANGE, order, person_code=order.person.code, changes={"confirmed": True})
        messages.success(request, _("支援措置を確認しました。"))
    return redirect(order.person)


LIFT_REFUSED = _lazy(
    "支援措置の解除は主任相談支援員だけが行えます。解除が必要なときは主任相談支援員に相談してください。"
)


def _refuse_lift(request: HttpRequest, user: Staff, order: WhereaboutsConfidentiality) -> HttpResponse:
    record(user, Action.DENIED, order, person_code=order.person.code, detail="lift")
    messages.error(request, LIFT_REFUSED)
    return redirect(order.person)


@require_http_methods(["GET", "POST"])
@centre_staff_required
def confidentiality_lift(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Lift an order: the chief's act alone, with the reason. It ends the protection at
    once; nobody else can lift it or start lifting it."""
    user = current_staff(request)
    order = confidentiality_for(user, code)
    if not user.is_chief:
        return _refuse_lift(request, user, order)
    form = LiftForm(posted(request))
    if order.lifted_at is not None:
        messages.error(request, _("この支援措置はすでに解除されています。"))
        return redirect(order.person)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        order.lift_requested_by = order.lifted_by = user
        order.lift_requested_at = order.lifted_at = now
        order.lift_reason = form.cleaned_data["lift_reason"]
        with transaction.atomic():
            order.save(
                update_fields=["lift_requested_by", "lift_requested_at", "lift_reason", "lifted_by", "lifted_at"]
            )
            record(
                user,
                Action.CHANGE,
                order,
                person_code=order.person.code,
                changes={"lifted": True},
                detail=order.lift_reason[:500],
            )
        messages.success(request, _("支援措置を解除しました。"))
        return redirect(order.person)
    # The person through the access function: it carries the location annotations.
    order.person = person_for(user, order.person.code).person
    return render(request, "people/confidentiality_lift.html", {"form": form, "order": order})


@require_POST
@centre_staff_required
def confidentiality_lift_confirm(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """A lift asked for before lifting became the chief's act: only the chief confirms it."""
    user = current_staff(request)
    order = confidentiality_for(user, code)
    if not user.is_chief:
        return _refuse_lift(request, user, order)
    if not order.awaiting_lift_confirmation:
        messages.error(request, _("解除の申請がありません。"))
    else:
        order.lifted_by = user
        order.lifted_at = timezone.now()
        with transaction.atomic():
            order.save(update_fields=["lifted_by", "lifted_at"])
            record(user, Action.CHANGE, order, person_code=order.person.code, changes={"lifted": True})
        messages.success(request, _("支援措置を解除しました。"))
    return redirect(order.person)


@require_POST
@centre_staff_required
def confidentiality_delegate(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """The chief lets her case team decide who joins it (cases.team), or takes it back."""
    user = current_staff(request)
    order = confidentiality_for(user, code)
    if not user.is_chief:
        record(user, Action.DENIED, order, person_code=order.person.code, detail="delegate")
        messages.error(request, _("委任を決められるのは主任相談支援員だけです。"))
        return redirect(order.person)
    order.team_decisions_delegated = request.POST.get("delegated") == "1"
    with transaction.atomic():
        order.save(update_fields=["team_decisions_delegated"])
        record(
            user,
            Action.CHANGE,
            order,
            person_code=order.person.code,
            changes={"team_decisions_delegated": order.team_decisions_delegated},
        )
    messages.success(
        request,
        _("チームへの参加の承認をケースチームに委任しました。")
        if order.team_decisions_delegated
        else _("チームへの参加の承認は主任相談支援員が行います。"),
    )
    return redirect(order.person)


@require_http_methods(["GET", "POST"])
@centre_staff_required
def emergency_read(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Break-glass: the chief's deputy reads a protected person's whereabouts in an
    emergency, with the reason. The read is shown at once on the chief's /my/ and is in
    the person's access log; the whereabouts are shown on this answer only."""
    user = current_staff(request)
    seen = person_for(user, code)
    person = seen.person
    if not user.is_deputy or seen.location_visible:
        record(user, Action.DENIED, person, object_type="people.emergency_read", detail="not_deputy")
        raise Http404(_("見つかりません。"))
    form = EmergencyReadForm(posted(request))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            read = EmergencyRead.objects.create(person=person, reader=user, reason=form.cleaned_data["reason"])
            record(
                user,
                Action.VIEW,
                read,
                person_code=person.code,
                object_type="people.emergency_read",
                detail=read.reason[:500],
                path=request.path,
            )
        # The template shows her whereabouts whenever a read was just recorded: this answer only.
        response = render(request, "people/emergency_read.html", {"person": person, "read": read})
        response["Cache-Control"] = "no-store"
        return response
    status = 422 if request.method == "POST" else 200
    return render(request, "people/emergency_read.html", {"person": person, "form": form}, status=status)


@require_POST
@centre_staff_required
def emergency_read_acknowledge(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """The chief has seen a break-glass read: it leaves /my/ (it stays in the access log)."""
    user = current_staff(request)
    read = (
        EmergencyRead.objects.select_related("person")
        .filter(code=code, person__municipality_id=user.municipality_id, acknowledged_at__isnull=True)
        .first()
        if user.is_chief
        else None
    )
    if read is None:
        record(user, Action.DENIED, object_type="people.emergencyread", object_code=str(code))
        raise Http404(_("見つかりません。"))
    read.acknowledged_by = user
    read.acknowledged_at = timezone.now()
    with transaction.atomic():
        read.save(update_fields=["acknowledged_by", "acknowledged_at"])
        record(user, Action.CHANGE, read, person_code=read.person.code, changes={"acknowledged": True})
    messages.success(request, _("緊急閲覧を確認しました。"))
    return redirect("my_day")


@require_http_methods(["GET"])
@centre_staff_required
def person_access_log(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Who viewed or changed this person's records, and when (the chief's view)."""
    user = current_staff(request)
    if not user.is_chief:
        record(user, Action.DENIED, object_type="people.access_log", object_code=str(code))
        return render(request, "404.html", status=404)
    person = person_for(user, code).person
    record(user, Action.VIEW, person, object_type="people.access_log", path=request.path)
    events = AuditEvent.objects.for_person(person.code).select_related("actor").order_by("-id")
    page = BoundedPaginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "people/access_log.html", {"person": person, "page": page})
