"""The WSGI application `scripts/throughput.py` serves with gunicorn: Tsunagu itself, plus
one page that exists only here, the trivial signed-in page of issue 12 (item 4): the
base template rendered for a signed-in worker through the same middleware and the same
decorator as every page, so the case page's throughput can be compared with what any
page costs at the least."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from django.http import HttpRequest, HttpResponse  # noqa: E402  (after the apps are loaded)
from django.shortcuts import render  # noqa: E402
from django.urls import path  # noqa: E402

from tsunagu import urls  # noqa: E402
from tsunagu.accounts.decorators import staff_required  # noqa: E402


@staff_required
def base_page(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


urls.urlpatterns.append(path("benchmark/base/", base_page))
