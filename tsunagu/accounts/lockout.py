"""Lockout after repeated failed sign-ins (django-axes, configured in settings.py): the
lock and the unlock go into the audit trail."""

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tsunagu.accounts.models import Staff
from tsunagu.audit.models import Action, record


def client_ip(request: HttpRequest) -> str | None:
    """The address that signs in. Behind the TLS proxy (BEHIND_TLS_PROXY) it is the last
    address the proxy appended to X-Forwarded-For; anything before it is the client's own
    claim and could be forged to dodge the per-address count."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


def record_lock(request: HttpRequest | None, username: str | None, ip_address: str | None) -> None:
    """One event when an account or address reaches the limit (attempts while locked are
    failed sign-ins, already recorded, and push the end of the lock back)."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is not None and failures > settings.LOGIN_FAILURE_LIMIT:
        return
    until = timezone.localtime() + settings.AXES_COOLOFF_TIME
    staff = Staff.objects.filter(username=username).first() if username else None
    record(
        None,
        Action.LOCKED,
        object_type="accounts.staff",
        object_code=str(staff.pk) if staff else "",
        detail=f"{username or ''} {ip_address or ''} {failures or settings.LOGIN_FAILURE_LIMIT}回失敗 "
        f"{until:%Y-%m-%d %H:%M}まで"[:500],
        path=request.path if request is not None else "",
    )


@transaction.atomic
def unlock(*, by: Staff | None, username: str = "", ip_address: str = "", reason: str = "") -> int:
    """Lift the lock of an account (and/or an address) before it runs out; audited."""
    from axes.utils import reset

    removed = 0
    if username:
        removed += reset(username=username)
    if ip_address:
        removed += reset(ip=ip_address)
    staff = Staff.objects.filter(username=username).first() if username else None
    record(
        by,
        Action.UNLOCKED,
        object_type="accounts.staff",
        object_code=str(staff.pk) if staff else "",
        detail=f"{username} {ip_address} {reason}".strip()[:500],
    )
    return removed


def lockout_response(request: HttpRequest, original: HttpResponse | None, credentials: object = None) -> HttpResponse:
    """The page a locked sign-in gets (settings.AXES_LOCKOUT_CALLABLE), in Japanese."""
    context = {
        "failure_limit": settings.LOGIN_FAILURE_LIMIT,
        "lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES,
    }
    return render(request, "accounts/locked_out.html", context, status=429)
