"""Sign-ins and sign-outs go into the audit trail."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from tsunagu.audit.models import Action, record


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(user, Action.LOGIN, object_type="accounts.staff", object_code=str(user.pk))


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(user, Action.LOGOUT, object_type="accounts.staff", object_code=str(user.pk))


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    record(None, Action.LOGIN_FAILED, object_type="accounts.staff", detail=str(credentials.get("username", ""))[:150])
