import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tsunagu.accounts.decorators import centre_staff_required, current_staff, staff_required
from tsunagu.accounts.models import Staff
from tsunagu.audit.models import Action, AuditEvent, record
from tsunagu.cases.access import cases_visible_to
from tsunagu.consents.models import people_with_basic_shared, withhold_from_team
from tsunagu.lib.versioning import StaleEditError, changed_fields, refuse_stale_form, save_if_current
from tsunagu.people.access import FULL, confidentiality_for, people_visible_to, person_for, sees_municipality_records
from tsunagu.people.forms import (
    PERSON_FIELDS,
    ConfidentialityForm,
    HouseholdMemberForm,
    LiftForm,
    PersonEditForm,
    PersonForm,
    PersonSearchForm,
)
from tsunagu.people.models import Household, HouseholdMember, Person, PersonQuerySet, Relation

SEARCH_LIMIT = 50


@require_http_methods(["GET"])
@staff_required
def person_list(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    form = PersonSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    people = people_visible_to(user).select_related("district")
    team_level = not sees_municipality_records(user)
    if query:
        people = people.search(query)
        if team_level:  # a match on a name the partner may not see would tell them the name
            people = people_with_basic_shared(user, people)
        record(user, Action.SEARCH, object_type="people.person", detail=query[:100], path=request.path)
    page = Paginator(people, SEARCH_LIMIT).get_page(request.GET.get("page"))
    if team_level:  # names only as far as the person's consents go (consents app)
        page.object_list = list(page.object_list)
        withhold_from_team(user, [(person, None) for person in page.object_list])
    context = {"form": form, "query": query, "page": page}
    if request.headers.get("HX-Request"):
        return render(request, "people/person_list.html#results", context)
    return render(request, "people/person_list.html", context)


def possible_duplicates(user: Staff, form: PersonForm) -> PersonQuerySet:
    """People who may be the one being entered: same reading and birth date, or same phone."""
    data = form.cleaned_data
    probe = Person(
        family_name_kana=data.get("family_name_kana", ""),
        given_name_kana=data.get("given_name_kana", ""),
        phone=data.get("phone", ""),
    )
    probe.refresh_search_keys()
    condition = Q(pk__in=[])
    if probe.full_kana_key and data.get("birth_date"):
        condition |= Q(full_kana_key=probe.full_kana_key, birth_date=data["birth_date"])
    if len(probe.phone_key) >= 6:
        condition |= Q(phone_key=probe.phone_key)
    return people_visible_to(user).filter(condition).select_related("district")[:10]


@require_http_methods(["GET", "POST"])
@centre_staff_required
def person_new(request: HttpRequest) -> HttpResponse:
    """Search before create: a second record is made only after the worker has seen
    the people who may be the same and said this one is different."""
    user = current_staff(request)
    form = PersonForm(request.POST or None, municipality_id=user.municipality_id)
    duplicates: list[Person] = []
    if request.method == "POST" and form.is_valid():
        duplicates = list(possible_duplicates(user, form))
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
    person = person_for(user, code)
    record(user, Action.VIEW, person, path=request.path)
    if person.access != FULL:  # type: ignore[attr-defined]
        withhold_from_team(user, [(person, None)])  # only what the person's consents cover
    cases = (
        cases_visible_to(user).filter(person=person).select_related("worker", "agency").order_by("-opened_on", "-id")
    )
    context = {"person": person, "cases": cases, "full": person.access == FULL}  # type: ignore[attr-defined]
    if person.access == FULL:  # type: ignore[attr-defined]
        context["orders"] = person.confidentiality_orders.select_related(
            "requested_by", "confirmed_by", "lift_requested_by", "lifted_by"
        )
    if person.access == FULL and person.location_visible:  # type: ignore[attr-defined]
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
    person = person_for(user, code, write=True)
    if not person.location_visible:  # type: ignore[attr-defined]
        # Editing shows the address; outside the case team that is not allowed.
        messages.error(request, _("所在秘匿の対象者の連絡先は、ケースチームと主任相談支援員だけが編集できます。"))
        return redirect(person)
    before = Person.objects.get(pk=person.pk)
    form = PersonEditForm(
        request.POST or None, instance=person, municipality_id=user.municipality_id, initial={"version": person.version}
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
                _(
                    "他の職員がこの記録を先に更新しました。あなたの入力は残っています。下の「現在の内容」を確かめてから、もう一度保存してください。"
                ),
            )
        else:
            messages.success(request, _("保存しました。"))
            return redirect(person)
    return render(request, "people/person_edit.html", {"form": form, "person": person, "stale": stale})


@require_http_methods(["GET", "POST"])
@centre_staff_required
def household_add(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Link another person of the municipality into this person's household."""
    user = current_staff(request)
    person = person_for(user, code, write=True)
    if not person.location_visible:  # type: ignore[attr-defined]
        messages.error(request, _("所在秘匿の対象者の世帯は、ケースチームと主任相談支援員だけが編集できます。"))
        return redirect(person)
    search = PersonSearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    results = (
        people_visible_to(user).search(query).exclude(pk=person.pk).select_related("household_membership")[:20]
        if query
        else []
    )
    form = HouseholdMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = person_for(user, form.cleaned_data["member"], write=True)
        error = _link_household(user, person, member, form.cleaned_data["relation"])
        if error is None:
            messages.success(request, _("%(name)sさんを世帯に加えました。") % {"name": member.full_name})
            return redirect(person)
        form.add_error(None, error)
    return render(
        request,
        "people/household_add.html",
        {"person": person, "search": search, "query": query, "results": results, "form": form},
    )


def _link_household(user: Staff, person: Person, member: Person, relation: str) -> str | None:
    if not member.location_visible:  # type: ignore[attr-defined]
        return _("所在秘匿の対象者は、そのケースチームの職員だけが世帯に加えられます。")
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
    person = person_for(user, code, write=True)
    form = ConfidentialityForm(request.POST or None)
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


@require_http_methods(["GET", "POST"])
@centre_staff_required
def confidentiality_lift(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Ask to lift an order (a second staff member confirms before it ends)."""
    user = current_staff(request)
    order = confidentiality_for(user, code)
    form = LiftForm(request.POST or None)
    if order.lifted_at is not None or order.lift_requested_at is not None:
        messages.error(request, _("この支援措置はすでに解除されているか、解除の確認待ちです。"))
        return redirect(order.person)
    if request.method == "POST" and form.is_valid():
        order.lift_requested_by = user
        order.lift_requested_at = timezone.now()
        order.lift_reason = form.cleaned_data["lift_reason"]
        with transaction.atomic():
            order.save(update_fields=["lift_requested_by", "lift_requested_at", "lift_reason"])
            record(user, Action.CHANGE, order, person_code=order.person.code, changes={"lift_requested": True})
        messages.success(request, _("解除を申請しました。別の職員が確認するまで秘匿は続きます。"))
        return redirect(order.person)
    # The person through the access function: it carries the location annotations.
    order.person = person_for(user, order.person.code)
    return render(request, "people/confidentiality_lift.html", {"form": form, "order": order})


@require_POST
@centre_staff_required
def confidentiality_lift_confirm(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    order = confidentiality_for(user, code)
    if not order.awaiting_lift_confirmation:
        messages.error(request, _("解除の申請がありません。"))
    elif order.lift_requested_by_id == user.pk:
        messages.error(request, _("解除を申請した本人は確認できません。別の職員に確認を依頼してください。"))
    else:
        order.lifted_by = user
        order.lifted_at = timezone.now()
        with transaction.atomic():
            order.save(update_fields=["lifted_by", "lifted_at"])
            record(user, Action.CHANGE, order, person_code=order.person.code, changes={"lifted": True})
        messages.success(request, _("支援措置を解除しました。"))
    return redirect(order.person)


@require_http_methods(["GET"])
@centre_staff_required
def person_access_log(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Who viewed or changed this person's records, and when (the chief's view)."""
    user = current_staff(request)
    if not user.is_chief:
        record(user, Action.DENIED, object_type="people.access_log", object_code=str(code))
        return render(request, "404.html", status=404)
    person = person_for(user, code)
    record(user, Action.VIEW, person, object_type="people.access_log", path=request.path)
    events = AuditEvent.objects.for_person(person.code).select_related("actor").order_by("-id")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "people/access_log.html", {"person": person, "page": page})
