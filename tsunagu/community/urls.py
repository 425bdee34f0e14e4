from django.urls import path

from tsunagu.community import issue_views, report_views, supporter_views, views

app_name = "community"

urlpatterns = [
    path("", views.network, name="network"),
    # Supporters report: by account, or by personal link (no login).
    path("report/", report_views.report, name="report"),
    path("report/thanks/", report_views.report_thanks, name="report_thanks"),
    path("report/mine/", report_views.my_reports, name="my_reports"),
    path("r/<str:token>/", report_views.link_report, name="link_report"),
    path("r/<str:token>/thanks/", report_views.link_thanks, name="link_thanks"),
    path("r/<str:token>/mine/", report_views.link_mine, name="link_mine"),
    # The inbox and triage.
    path("reports/", report_views.inbox, name="reports"),
    path("reports/<uuid:code>/", report_views.report_detail, name="report_detail"),
    path("reports/<uuid:code>/progress/", report_views.report_progress, name="report_progress"),
    path("reports/<uuid:code>/link/", report_views.report_link, name="report_link"),
    path("reports/<uuid:code>/outreach/", report_views.report_outreach, name="report_outreach"),
    path("reports/<uuid:code>/visit/", report_views.report_visit, name="report_visit"),
    path("reports/<uuid:code>/open-case/", report_views.report_open_case, name="report_open_case"),
    path("reports/<uuid:code>/close/", report_views.report_close, name="report_close"),
    path("reports/<uuid:code>/handled/", report_views.report_handled, name="report_handled"),
    # Districts, neighbourhoods and supporters.
    path("districts/<uuid:code>/", views.district_detail, name="district_detail"),
    path("districts/<uuid:code>/edit/", views.district_edit, name="district_edit"),
    path("districts/<uuid:code>/neighbourhoods/new/", views.neighbourhood_new, name="neighbourhood_new"),
    path("neighbourhoods/<uuid:code>/edit/", views.neighbourhood_edit, name="neighbourhood_edit"),
    path("supporters/", supporter_views.supporter_list, name="supporter_list"),
    path("supporters/new/", supporter_views.supporter_new, name="supporter_new"),
    path("supporters/<uuid:code>/", supporter_views.supporter_detail, name="supporter_detail"),
    path("supporters/<uuid:code>/edit/", supporter_views.supporter_edit, name="supporter_edit"),
    path("supporters/<uuid:code>/links/new/", supporter_views.link_new, name="link_new"),
    path("supporters/<uuid:code>/links/<int:link_id>/revoke/", supporter_views.link_revoke, name="link_revoke"),
    path("supporters/<uuid:code>/account/new/", supporter_views.account_new, name="account_new"),
    path(
        "supporters/<uuid:code>/account/stop/",
        supporter_views.account_active,
        {"active": False},
        name="account_deactivate",
    ),
    path(
        "supporters/<uuid:code>/account/restart/",
        supporter_views.account_active,
        {"active": True},
        name="account_reactivate",
    ),
    # Regional issues.
    path("issues/", issue_views.issue_list, name="issues"),
    path("issues/new/", issue_views.issue_new, name="issue_new"),
    path("issues/<uuid:code>/", issue_views.issue_detail, name="issue_detail"),
    path("issues/<uuid:code>/progress/", issue_views.issue_progress, name="issue_progress"),
]
