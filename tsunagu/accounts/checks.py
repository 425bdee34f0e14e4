"""`manage.py check --deploy` warns when the second factor is not required."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_required(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.TSUNAGU_MFA == "required":
        return []
    return [
        Warning(
            "TSUNAGU_MFA is not 'required': centre staff, officers and admins can sign in with a password alone.",
            hint="Unset TSUNAGU_MFA (or set it to 'required') outside the demo (docs/security.md).",
            id="tsunagu.W001",
        )
    ]
