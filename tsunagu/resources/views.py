"""The social-resource directory: list, detail, editing, HSDS exchange, the resources
for a case, and the gap analysis."""

import uuid
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tsunagu.accounts.decorators import centre_staff_required, current_staff, staff_required
from tsunagu.accounts.models import Municipality, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.access import full_case_for
from tsunagu.lib.forms import posted
from tsunagu.lib.paging import BoundedPaginator
from tsunagu.lib.redirects import safe_next
from tsunagu.lib.versioning import StaleEditError, changed_fields, refuse_stale_form, save_if_current, stale_edit
from tsunagu.resources import hsds, hsds_import
from tsunagu.resources.access import gaps_municipality_for, reads_all_gaps, resource_for, resources_visible_to
from tsunagu.resources.forms import (
    ImportForm,
    ProposeForm,
    ResourceEditForm,
    ResourceFilterForm,
    ResourceForm,
    VersionForm,
)
from tsunagu.resources.gaps import AlreadyProposedError, NotAGapError, analyse, propose, proposed_keys
from tsunagu.resources.matching import PlanRefusedError, add_to_plan, need_of
from tsunagu.resources.models import Resource
from tsunagu.resources.panels import case_matches

PER_PAGE = 50
# Fields whose change makes an id given by HSDS exchange name something else.
HSDS_ID_SOURCES = {"organization": ("provider_agency", "provider_name"), "location": ("address",)}


def _municipality(user: Staff) -> Municipality:
    agency = user.agency
    if agency is None:
        raise Http404
    return agency.municipality


# The directory ------------------------------------------------------------------------------


@require_http_methods(["GET"])
@staff_required
def resource_list(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    form = ResourceFilterForm(request.GET or None, municipality_id=user.municipality_id)
    data = form.cleaned_data if form.is_valid() else {}
    resources = resources_visible_to(user)
    if not data.get("inactive"):
        resources = resources.active()
    if data.get("q"):
        resources = resources.search(data["q"])
    if data.get("kind"):
        resources = resources.filter(kind=data["kind"])
    if data.get("field"):
        resources = resources.in_field(data["field"])
    if data.get("issue"):
        resources = resources.helping_with(data["issue"])
    if data.get("district"):
        resources = resources.serving(data["district"])
    if data.get("unchecked"):
        resources = resources.unchecked()
    resources = resources.select_related("provider_agency").prefetch_related("districts").in_directory_order()
    page = BoundedPaginator(resources, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "keeps": user.works_in_centre,
        "reads_all_gaps": reads_all_gaps(user),
        "unchecked_count": resources_visible_to(user).active().unchecked().count(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "resources/resource_list.html#results", context)
    return render(request, "resources/resource_list.html", context)


@require_http_methods(["GET"])
@staff_required
def resource_detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    resource = resource_for(user, code)
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "districts": list(resource.districts.all()),
            "keeps": user.works_in_centre,
            "version_form": VersionForm(initial={"version": resource.version}),
        },
    )


@require_http_methods(["GET", "POST"])
@centre_staff_required
def resource_new(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    municipality = _municipality(user)
    form = ResourceForm(posted(request), municipality_id=municipality.pk)
    if request.method == "POST" and form.is_valid():
        resource = Resource(municipality=municipality, created_by=user)
        for name in Resource.CONTENT_FIELDS:
            setattr(resource, name, form.cleaned_data[name])
        with transaction.atomic():
            resource.save()
            resource.districts.set(form.cleaned_data["districts"])
            record(user, Action.CREATE, resource, changes=_values_for_audit(form))
        messages.success(request, _("「%(name)s」を登録しました。") % {"name": resource.name})
        return redirect(resource)
    status = 422 if request.method == "POST" else 200
    return render(request, "resources/resource_form.html", {"form": form}, status=status)


def _values_for_audit(form: ResourceForm) -> dict[str, Any]:
    values: dict[str, Any] = {name: str(form.cleaned_data[name]) for name in Resource.CONTENT_FIELDS}
    values["districts"] = [d.name for d in form.cleaned_data["districts"]]
    return values


@require_http_methods(["GET", "POST"])
@centre_staff_required
def resource_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    resource = resource_for(user, code, write=True)
    before = Resource.objects.get(pk=resource.pk)
    before_districts = list(resource.districts.all())
    form = ResourceEditForm(
        posted(request),
        instance=resource,
        municipality_id=user.municipality_id,
        initial={"version": resource.version},
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        for name in Resource.CONTENT_FIELDS:
            setattr(resource, name, form.cleaned_data[name])
        districts = list(form.cleaned_data["districts"])
        resource.hsds_ids = _kept_hsds_ids(before, resource)
        try:
            with transaction.atomic():
                save_if_current(resource, form.cleaned_data["version"], [*Resource.CONTENT_FIELDS, "hsds_ids"])
                resource.districts.set(districts)
                changes: dict[str, Any] = changed_fields(before, resource, Resource.CONTENT_FIELDS)
                if {d.pk for d in before_districts} != {d.pk for d in districts}:
                    changes["districts"] = [[d.name for d in before_districts], [d.name for d in districts]]
                record(user, Action.CHANGE, resource, changes=changes)
        except StaleEditError as error:
            stale = error.current
            refuse_stale_form(form, stale, stale_edit(_("社会資源")))
        else:
            messages.success(request, _("保存しました。"))
            return redirect(resource)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "resources/resource_form.html", {"form": form, "resource": before, "stale": stale}, status=status
    )


def _kept_hsds_ids(before: Resource, after: Resource) -> dict[str, Any]:
    """An organization or location id from HSDS exchange names what it named then: when
    the provider or the address changes, it is dropped (the next export makes a new one)."""
    kept = dict(before.hsds_ids or {})
    for key, sources in HSDS_ID_SOURCES.items():
        if any(getattr(before, s) != getattr(after, s) for s in sources):
            kept.pop(key, None)
    return kept


def _one_step(request: HttpRequest, code: uuid.UUID, change: dict[str, Any], done: str) -> HttpResponse:
    """Mark checked, deactivate, reactivate: one field, refused when the page was stale."""
    user = current_staff(request)
    resource = resource_for(user, code, write=True)
    form = VersionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["version"] != resource.version:
        messages.error(request, stale_edit(_("社会資源"), kept=False))
        return redirect(resource)
    with transaction.atomic():
        updated = Resource.objects.filter(pk=resource.pk, version=resource.version).update(
            **change, version=F("version") + 1, updated_at=timezone.now()
        )
        if updated:
            record(
                user,
                Action.CHANGE,
                resource,
                changes={k: [str(getattr(resource, k)), str(v)] for k, v in change.items()},
            )
    if not updated:
        messages.error(request, stale_edit(_("社会資源"), kept=False))
    else:
        messages.success(request, done % {"name": resource.name})
    return redirect(resource)


@require_POST
@centre_staff_required
def resource_check(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    return _one_step(
        request, code, {"last_checked_on": timezone.localdate()}, _("「%(name)s」を今日確認したと記録しました。")
    )


@require_POST
@centre_staff_required
def resource_deactivate(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    return _one_step(
        request, code, {"active": False}, _("「%(name)s」を利用できないものにしました（記録は残ります）。")
    )


@require_POST
@centre_staff_required
def resource_reactivate(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    return _one_step(request, code, {"active": True}, _("「%(name)s」を利用できるものに戻しました。"))


# HSDS exchange ----------------------------------------------------------------------------


def _download(request: HttpRequest, content: bytes, content_type: str, suffix: str) -> HttpResponse:
    user = current_staff(request)
    municipality = _municipality(user)
    count = Resource.objects.filter(municipality=municipality).count()
    record(
        user,
        Action.EXPORT,
        object_type="resources.resource",
        object_code=str(municipality.pk),
        detail=_("HSDS %(format)s、%(count)s件") % {"format": suffix, "count": count},
        path=request.path,
    )
    response = HttpResponse(content, content_type=content_type)
    filename = f"tsunagu-resources-hsds-{timezone.localdate():%Y%m%d}.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET"])
@centre_staff_required
def export_json(request: HttpRequest) -> HttpResponse:
    content = hsds.export_json(_municipality(current_staff(request)))
    return _download(request, content, "application/json; charset=utf-8", "json")


@require_http_methods(["GET"])
@centre_staff_required
def export_package(request: HttpRequest) -> HttpResponse:
    content = hsds.export_package(_municipality(current_staff(request)))
    return _download(request, content, "application/zip", "zip")


@require_http_methods(["GET", "POST"])
@centre_staff_required
def import_file(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = hsds_import.import_file(upload.read(), _municipality(user), user)
        except hsds_import.HSDSImportError as failure:
            errors = failure.errors
        else:
            messages.success(
                request,
                _("読み込みました：%(created)s件を追加、%(updated)s件を更新しました。")
                % {"created": len(result.created), "updated": len(result.updated)},
            )
            if result.agencies:
                messages.info(
                    request,
                    _("登録されていなかった機関を%(count)s件登録しました：%(names)s")
                    % {"count": len(result.agencies), "names": "、".join(a.name for a in result.agencies)},
                )
            return redirect("resources:list")
    status = 422 if request.method == "POST" else 200
    return render(request, "resources/import.html", {"form": form, "errors": errors}, status=status)


# The resources for a case ----------------------------------------------------------------


@require_http_methods(["GET"])
@staff_required
def for_case(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = full_case_for(user, code, denied_as="resources.for_case", path=request.path)
    record(user, Action.VIEW, case, object_type="resources.for_case", path=request.path)
    return render(request, "resources/for_case.html", {"case": case, "resources_case": case_matches(user, case)})


@require_POST
@centre_staff_required
def add_resource_to_plan(request: HttpRequest, code: uuid.UUID, resource_code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = full_case_for(user, code, write=True, denied_as="resources.for_case", path=request.path)
    resource = resource_for(user, resource_code)
    back = safe_next(request, reverse("resources:for_case", kwargs={"code": case.code}))
    try:
        # case_for annotates whether the user may locate her
        need = need_of(case, case.person_location_visible)  # type: ignore[attr-defined]
        sheet = add_to_plan(case, resource, need, user)
    except PlanRefusedError as refusal:
        messages.error(request, refusal.message)
        return redirect(back)
    except StaleEditError:
        messages.error(request, stale_edit(_("プラン"), kept=False))
        return redirect(back)
    messages.success(
        request,
        _("「%(name)s」をプランに追加しました（第%(v)s版）。目標や期間を確かめ、本人の同意を得てください。")
        % {"name": resource.name, "v": sheet.version},
    )
    return redirect("sheets:plan", code=case.code)


# The gap analysis ---------------------------------------------------------------------------


@require_http_methods(["GET"])
@staff_required
def gap_list(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    municipality = gaps_municipality_for(user)
    if municipality is None:
        record(user, Action.DENIED, object_type="view", object_code="gap_list", path=request.path)
        return render(request, "403.html", status=403)
    analysis = analyse(municipality)
    proposed = proposed_keys(municipality) if user.works_in_centre else set()
    gaps = [(g, (g.district.pk if g.district else None, g.issue) in proposed) for g in analysis.all_gaps()]
    return render(
        request,
        "resources/gaps.html",
        {
            "municipality": municipality,
            "gaps": gaps,
            "district_count": len(analysis.districts),
            "may_propose": user.works_in_centre,
        },
    )


@require_POST
@centre_staff_required
def gap_propose(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    municipality = _municipality(user)
    back = safe_next(request, reverse("resources:gaps"))
    form = ProposeForm(request.POST, municipality_id=municipality.pk)
    if not form.is_valid():
        messages.error(request, _("提案する地区と課題を確かめてください。"))
        return redirect(back)
    district, issue = form.cleaned_data["district"], form.cleaned_data["issue"]
    try:
        regional = propose(municipality, district, issue, user)
    except AlreadyProposedError as already:
        messages.info(
            request, _("この地区と課題の地域課題はすでに提案されています（%(title)s）。") % {"title": already.existing}
        )
        return redirect(back)
    except NotAGapError:
        messages.error(request, _("いまはこの地区でこの課題に対応する社会資源があるか、対象のケースがありません。"))
        return redirect(back)
    messages.success(request, _("地域課題として提案しました：%(title)s") % {"title": regional.title})
    return redirect(back)
