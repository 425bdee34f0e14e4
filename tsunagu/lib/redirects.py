"""Where a form sends the user back to: the `next` it carried, only if it is a path on
this site (never another host, never a name Django would try to reverse)."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The posted `next` if it is a local path ("/cases/…"), otherwise `fallback`.

    `url_has_allowed_host_and_scheme` alone accepts "foo" (a relative URL), which
    `redirect()` then tries to reverse as a view name and fails with a 500."""
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith(("//", "/\\")):
        return fallback
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return fallback
    return back
