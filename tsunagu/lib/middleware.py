"""Project middleware."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """No page of the application is kept by the browser or a proxy (`Cache-Control:
    no-store`): nearly every page shows personal data, and a shared PC's back button or
    disk cache would show it to the next user. Static files never reach this middleware
    (WhiteNoise answers them earlier, with their own long cache headers)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response
