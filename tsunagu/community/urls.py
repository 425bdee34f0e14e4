from django.urls import path

from tsunagu.community import views

app_name = "community"

urlpatterns = [
    path("", views.network, name="network"),
    # Supporters report: by account, or by personal link (no login).
    path("report/", views.report, name="report"),
    path("report/thanks/", views.report_thanks, name="report_thanks"),
    path("report/mine/", views.my_reports, name="my_reports"),
    path("r/<str:token>/", views.link_report, name="link_report"),
    path("r/<str:token>/thanks/", views.link_thanks, name="link_thanks"),
    path("r/<str:token>/mine/", views.link_mine, name="link_mine"),
    # The inbox and triage.
    path("reports/", views.inbox, name="reports"),
    path("reports/<uuid:code>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:code>/progress/", views.report_progress, name="report_progress"),
    path("reports/<uuid:code>/link/", views.report_link, name="report_link"),
    path("reports/<uuid:code>/outreach/", views.report_outreach, name="report_outreach"),
    path("reports/<uuid:code>/visit/", views.report_visit, name="report_visit"),
    path("reports/<uuid:code>/open-case/", views.report_open_case, name="report_open_case"),
    path("reports/<uuid:code>/close/", views.report_close, name="report_close"),
    path("reports/<uuid:code>/handled/", views.report_handled, name="report_handled"),
    # Districts, neighbourhoods and supporters.
    path("districts/<uuid:code>/", views.district_detail, name="district_detail"),
    path("districts/<uuid:code>/edit/", views.district_edit, name="district_edit"),
    path("districts/<uuid:code>/neighbourhoods/new/", views.neighbourhood_new, name="neighbourhood_new"),
    path("neighbourhoods/<uuid:code>/edit/", views.neighbourhood_edit, name="neighbourhood_edit"),
    path("supporters/", views.supporter_list, name="supporter_list"),
    path("supporters/new/", views.supporter_new, name="supporter_new"),
    path("supporters/<uuid:code>/", views.supporter_detail, name="supporter_detail"),
    path("supporters/<uuid:code>/edit/", views.supporter_edit, name="supporter_edit"),
    path("supporters/<uuid:code>/links/new/", views.link_new, name="link_new"),
    path("supporters/<uuid:code>/links/<int:link_id>/revoke/", views.link_revoke, name="link_revoke"),
    path("supporters/<uuid:code>/account/new/", views.account_new, name="account_new"),
    path("supporters/<uuid:code>/account/stop/", views.account_active, {"active": False}, name="account_deactivate"),
    path("supporters/<uuid:code>/account/restart/", views.account_active, {"active": True}, name="account_reactivate"),
    # Regional issues.
    path("issues/", views.issue_list, name="issues"),
    path("issues/new/", views.issue_new, name="issue_new"),
    path("issues/<uuid:code>/", views.issue_detail, name="issue_detail"),
    path("issues/<uuid:code>/progress/", views.issue_progress, name="issue_progress"),
    path("issues/<uuid:code>/agenda/", views.issue_agenda, name="issue_agenda"),
]
