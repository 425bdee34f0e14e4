from django.urls import path

from tsunagu.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_new, name="new"),
    path("<uuid:code>/", views.person_detail, name="detail"),
    path("<uuid:code>/edit/", views.person_edit, name="edit"),
    path("<uuid:code>/household/", views.household_add, name="household_add"),
    path("<uuid:code>/access-log/", views.person_access_log, name="access_log"),
    path("<uuid:code>/confidentiality/new/", views.confidentiality_new, name="confidentiality_new"),
    path("confidentiality/<uuid:code>/confirm/", views.confidentiality_confirm, name="confidentiality_confirm"),
    path("confidentiality/<uuid:code>/lift/", views.confidentiality_lift, name="confidentiality_lift"),
    path("confidentiality/<uuid:code>/delegate/", views.confidentiality_delegate, name="confidentiality_delegate"),
    path("<uuid:code>/emergency-read/", views.emergency_read, name="emergency_read"),
    path(
        "emergency-reads/<uuid:code>/acknowledge/",
        views.emergency_read_acknowledge,
        name="emergency_read_acknowledge",
    ),
    path(
        "confidentiality/<uuid:code>/lift/confirm/",
        views.confidentiality_lift_confirm,
        name="confidentiality_lift_confirm",
    ),
]
