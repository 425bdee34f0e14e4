from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

from tsunagu.accounts.admin import site as admin_site
from tsunagu.accounts.navigation import start_page
from tsunagu.cases import views as case_views


def home(request: HttpRequest) -> HttpResponse:
    return redirect(start_page(request.user))  # type: ignore[arg-type]


@login_not_required
def health(request: HttpRequest) -> HttpResponse:
    """For the reverse proxy and monitoring: answers without touching personal data."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", home, name="home"),
    path("healthz", health, name="health"),
    path("my/", case_views.my_day, name="my_day"),
    path("accounts/", include("tsunagu.accounts.urls")),
    path("people/", include("tsunagu.people.urls")),
    path("cases/", include("tsunagu.cases.urls")),
    path("cases/", include("tsunagu.sheets.urls")),
    path("consents/", include("tsunagu.consents.urls")),
    path("referrals/", include("tsunagu.referrals.urls")),
    path("meetings/", include("tsunagu.meetings.urls")),
    path("community/", include("tsunagu.community.urls")),
    path("resources/", include("tsunagu.resources.urls")),
    path("employment/", include("tsunagu.employment.urls")),
    path("statistics/", include("tsunagu.statistics.urls")),
    path("programmes/", include("tsunagu.programmes.urls")),
    path("search/", include("tsunagu.search.urls")),
    path("admin/", admin_site.urls),
]
