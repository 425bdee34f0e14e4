from django.urls import path

from tsunagu.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<uuid:code>/", views.case_detail, name="detail"),
    path("<uuid:code>/edit/", views.case_edit, name="edit"),
    path("<uuid:code>/move/", views.case_move, name="move"),
    path("<uuid:code>/notes/new/", views.note_new, name="note_new"),
    path("<uuid:code>/tasks/new/", views.task_new, name="task_new"),
    path("<uuid:code>/team/", views.team_add, name="team_add"),
    path("<uuid:code>/team/<int:member_id>/remove/", views.team_remove, name="team_remove"),
    path("notes/<uuid:code>/edit/", views.note_edit, name="note_edit"),
    path("notes/<uuid:code>/history/", views.note_history, name="note_history"),
    path("tasks/<uuid:code>/done/", views.task_done, name="task_done"),
    path("team-requests/<uuid:code>/decide/", views.team_request_decide, name="team_request_decide"),
]
