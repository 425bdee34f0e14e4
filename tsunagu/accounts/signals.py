"""Sign-ins, sign-outs and lockouts go into the audit trail."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from tsunagu.accounts import lockout, mfa
from tsunagu.audit.models import Action, record


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(user, Action.LOGIN, object_type="accounts.staff", object_code=str(user.pk))
    # The password alone never carries a second factor over from before.
    if hasattr(request, "session"):
        mfa.signed_in(user, request.session)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(user, Action.LOGOUT, object_type="accounts.staff", object_code=str(user.pk))


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    record(None, Action.LOGIN_FAILED, object_type="accounts.staff", detail=str(credentials.get("username", ""))[:150])


@receiver(user_locked_out)
def audit_lockout(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **_: Any,
) -> None:
    lockout.record_lock(request, username, ip_address)
