"""View decorators for who may open a screen at all. Which objects a user may see is
decided by the access functions (people.access, cases.access), not here."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagu.accounts.models import Role, Staff
from tsunagu.audit.models import Action, record

View = Callable[..., HttpResponse]


def _guard(allowed: Callable[[Staff], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not allowed(user):
                record(user, Action.DENIED, object_type="view", object_code=view.__name__, path=request.path)
                return render(request, "403.html", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def current_staff(request: HttpRequest) -> Staff:
    """The signed-in staff member (the decorators above have checked there is one)."""
    return cast(Staff, request.user)


def works_with_records(user: Staff) -> bool:
    return user.agency_id is not None and user.role not in {Role.SUPPORTER, Role.ADMIN}


# Anyone who works with records: centre staff, officers, partner-agency staff.
staff_required = _guard(works_with_records)
# Screens that create or change records of the centre.
centre_staff_required = _guard(lambda user: user.works_in_centre)
