from django.urls import path

from tsunagu.meetings import documents, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("calendar/", views.meeting_calendar, name="calendar"),
    path("new/<str:kind>/", views.meeting_new, name="new"),
    path("<uuid:code>/", views.meeting_detail, name="detail"),
    path("<uuid:code>/edit/", views.meeting_edit, name="edit"),
    path("<uuid:code>/minutes.pdf", documents.meeting_pdf, name="pdf"),
    path("<uuid:code>/attendees/", views.attendee_add, name="attendee_add"),
    path("<uuid:code>/attendance/", views.attendance, name="attendance"),
    path("<uuid:code>/attendees/<int:attendee_id>/remove/", views.attendee_remove, name="attendee_remove"),
    path("<uuid:code>/items/case/", views.item_add_case, name="item_add_case"),
    path("<uuid:code>/items/person/", views.item_add_person, name="item_add_person"),
    path("<uuid:code>/items/issue/", views.item_add_issue, name="item_add_issue"),
    path("<uuid:code>/prepare/", views.prepare_agenda, name="prepare"),
    path("<uuid:code>/candidates/", views.add_candidates, name="candidates"),
    path("items/<uuid:code>/minutes/", views.item_minutes, name="item_minutes"),
    path("items/<uuid:code>/decide/", views.item_decide, name="item_decide"),
    path("items/<uuid:code>/roles/", views.item_role_add, name="item_role_add"),
    path("items/<uuid:code>/roles/<int:role_id>/remove/", views.item_role_remove, name="item_role_remove"),
    path("items/<uuid:code>/actions/", views.item_action_add, name="item_action_add"),
    path("items/<uuid:code>/gaps/", views.item_gap_add, name="item_gap_add"),
    path("items/<uuid:code>/escalate/", views.item_escalate, name="item_escalate"),
    path("items/<uuid:code>/minutes.pdf", documents.item_pdf, name="item_pdf"),
    path("cases/<uuid:code>/add/", views.add_from_case, name="add_from_case"),
    # A regional issue (community) onto a coming meeting's agenda, from the issue's page.
    path("issues/<uuid:code>/agenda/", views.issue_agenda, name="issue_agenda"),
]
