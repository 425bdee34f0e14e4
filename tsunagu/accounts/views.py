"""Sign-in's second step, enrolment of the second factor, the account page and the
user's own password change (docs/security.md)."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from tsunagu.accounts import mfa
from tsunagu.accounts.decorators import current_staff
from tsunagu.accounts.forms import CodeForm, EnrolForm, OwnPasswordForm
from tsunagu.audit.models import Action, record
from tsunagu.lib.forms import posted


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the authenticator app, or a recovery code."""
    user = current_staff(request)
    if not mfa.owes_second_factor(user, request.session):
        return redirect(_next(request))
    if not mfa.has_device(user):
        return redirect(reverse("accounts:enrol") + "?" + request.GET.urlencode())
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        device = mfa.verify(user, form.cleaned_data["code"])
        if device is not None:
            mfa.mark_verified(user, request.session)
            record(user, Action.LOGIN, user, detail=f"second_factor:{mfa.describe(device)}")
            return redirect(_next(request))
        # Counted by django-axes like a wrong password (and recorded as a failed sign-in):
        # six wrong codes lock the account as six wrong passwords do.
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
        if getattr(request, "axes_locked_out", False):
            logout(request)
            # AxesMiddleware turns this response into the lockout page.
            return HttpResponse(status=429)
        form.add_error("code", _("確認コードが正しくありません。もう一度、アプリの新しいコードを入力してください。"))
    status = 422 if form.errors else 200
    return render(request, "accounts/second_factor.html", {"form": form, "next": _next(request)}, status=status)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Register an authenticator app: a QR code and the secret as text, then a code from
    the app to confirm; the recovery codes are shown once. Replacing an enrolled app
    needs this session's second factor first."""
    user = current_staff(request)
    if mfa.has_device(user) and request.session.get(mfa.VERIFIED) != user.pk:
        request.session[mfa.PENDING] = user.pk
        return redirect(reverse("accounts:second_factor") + "?" + request.GET.urlencode())
    device = mfa.pending_device(user)
    form = EnrolForm(posted(request))
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_enrolment(user, device, form.cleaned_data["code"])
        if codes is not None:
            mfa.mark_verified(user, request.session)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", _("確認コードが正しくありません。アプリに表示されている最新の6桁を入力してください。"))
    context = {
        "form": form,
        "qr_svg": mfa.qr_svg(device),
        "secret": mfa.secret_text(device),
        "next": _next(request),
        "required": mfa.required_for(user),
        "replacing": mfa.has_device(user),
    }
    return render(request, "accounts/enrol.html", context, status=422 if form.errors else 200)


@never_cache
def account(request: HttpRequest) -> HttpResponse:
    """The user's own account: password and second factor."""
    user = current_staff(request)
    context = {
        "has_device": mfa.has_device(user),
        "required": mfa.required_for(user),
        "recovery_left": mfa.remaining_recovery_codes(user),
    }
    return render(request, "accounts/account.html", context)


@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Every account changes its own password (supporters too): the current one first."""
    user = current_staff(request)
    form = OwnPasswordForm(user, posted(request))
    if request.method == "POST" and form.is_valid():
        form.save()
        record(user, Action.CHANGE, user, changes={"password": "changed"}, detail="本人がパスワードを変更")
        # Other sessions of this account end (their session hash no longer matches); this one stays.
        update_session_auth_hash(request, user)
        messages.success(request, _("パスワードを変更しました。"))
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form}, status=422 if form.errors else 200)
