"""Supporters and their links and accounts (centre staff): the community app's views split
by what they serve (community/views.py: the network, districts and neighbourhoods).
"""

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tsunagu.accounts.decorators import centre_staff_required, current_staff
from tsunagu.community import access
from tsunagu.community.forms import (
    SupporterAccountForm,
    SupporterEditForm,
    SupporterForm,
)
from tsunagu.community.models import (
    Supporter,
    SupporterLink,
)
from tsunagu.community.network import (
    AccountError,
    edit_supporter,
    issue_account,
    issue_link,
    register_supporter,
    revoke_link,
    set_account_active,
)
from tsunagu.lib.forms import posted
from tsunagu.lib.versioning import StaleEditError, refuse_stale_form, stale_edit


@require_http_methods(["GET"])
@centre_staff_required
def supporter_list(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    supporters = (
        access.supporters_visible_to(user)
        .prefetch_related("neighbourhoods__district")
        .annotate(
            live_links=Count("links", filter=Q(links__revoked_at__isnull=True)),
            report_count=Count("reports", distinct=True),
        )
        .select_related("account")
        .order_by("-active", "kind", "name")
    )
    return render(request, "community/supporter_list.html", {"supporters": supporters})


@require_http_methods(["GET", "POST"])
@centre_staff_required
def supporter_new(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    form = SupporterForm(posted(request), municipality_id=user.municipality_id)
    if request.method == "POST" and form.is_valid():
        supporter = register_supporter(user, form.cleaned_data)
        messages.success(request, _("%(name)sさんをサポーターとして登録しました。") % {"name": supporter.name})
        return redirect(supporter)
    status = 422 if request.method == "POST" else 200
    return render(request, "community/supporter_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@centre_staff_required
def supporter_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    supporter = access.supporter_for(user, code)
    form = SupporterEditForm(
        posted(request),
        instance=supporter,
        municipality_id=user.municipality_id,
        initial={"version": supporter.version},
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            edit_supporter(supporter, user, form.cleaned_data["version"], form.cleaned_data)
        except StaleEditError as error:
            stale = error.current
            refuse_stale_form(
                form,
                stale,
                stale_edit(_("サポーター")),
            )
        else:
            messages.success(request, _("保存しました。"))
            return redirect(supporter)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "supporter": supporter, "stale": stale}
    return render(request, "community/supporter_form.html", context, status=status)


@require_http_methods(["GET"])
@centre_staff_required
def supporter_detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    supporter = access.supporter_for(user, code)
    return render(request, "community/supporter_detail.html", _supporter_context(supporter))


def _supporter_context(supporter: Supporter, **extra: Any) -> dict[str, Any]:
    return {
        "supporter": supporter,
        "account_form": SupporterAccountForm() if supporter.account_id is None and supporter.active else None,
        "neighbourhoods": supporter.neighbourhoods.select_related("district"),
        "links": supporter.links.select_related("issued_by", "revoked_by"),
        "reports": supporter.reports.select_related("district")[:20],
        **extra,
    }


@require_POST
@centre_staff_required
def link_new(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Issue a personal link and show it this once (the response to the POST, never a
    redirect: the token is not stored anywhere it could be shown again)."""
    user = current_staff(request)
    supporter = access.supporter_for(user, code)
    if not supporter.active:
        messages.error(request, _("活動中でないサポーターにはリンクを発行できません。"))
        return redirect(supporter)
    token = issue_link(supporter, user)
    url = request.build_absolute_uri(reverse("community:link_report", kwargs={"token": token}))
    response = render(request, "community/supporter_detail.html", _supporter_context(supporter, new_link=url))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@centre_staff_required
def link_revoke(request: HttpRequest, code: uuid.UUID, link_id: int) -> HttpResponse:
    user = current_staff(request)
    supporter = access.supporter_for(user, code)
    link = SupporterLink.objects.filter(supporter=supporter, pk=link_id).select_related("supporter").first()
    if link is None:
        raise access.deny(user, "community.supporterlink", link_id, "write")
    revoke_link(link, user)
    messages.success(request, _("リンクを無効にしました。このリンクからはもう報告できません。"))
    return redirect(supporter)


@require_POST
@centre_staff_required
def account_new(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Give a supporter a sign-in account. The initial password is shown in the response
    to this POST only (never a redirect, never a message: it is stored nowhere it could
    be shown again), and the page is not cached."""
    user = current_staff(request)
    supporter = access.supporter_for(user, code)
    form = SupporterAccountForm(request.POST)
    if form.is_valid():
        try:
            account, password = issue_account(supporter, user, form.cleaned_data["username"])
        except AccountError as error:
            form.add_error(error.field, error.message)
        else:
            context = _supporter_context(
                supporter, new_account={"username": account.username, "password": password}, account_form=None
            )
            context["login_url"] = request.build_absolute_uri(reverse("accounts:login"))
            response = render(request, "community/supporter_detail.html", context)
            response["Cache-Control"] = "no-store"
            return response
    supporter.refresh_from_db(fields=["account"])
    context = _supporter_context(supporter, account_form=form)
    return render(request, "community/supporter_detail.html", context, status=422)


@require_POST
@centre_staff_required
def account_active(request: HttpRequest, code: uuid.UUID, active: bool) -> HttpResponse:
    user = current_staff(request)
    supporter = access.supporter_for(user, code)
    if supporter.account is None:
        raise access.deny(user, "community.supporter", code, "account")
    set_account_active(supporter, user, active)
    if active:
        messages.success(
            request, _("アカウント %(username)s を再開しました。") % {"username": supporter.account.username}
        )
    else:
        messages.success(
            request,
            _("アカウント %(username)s を停止しました。個人用リンクはそのまま使えます。")
            % {"username": supporter.account.username},
        )
    return redirect(supporter)
