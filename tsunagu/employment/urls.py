from django.urls import path

from tsunagu.employment import views

app_name = "employment"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<uuid:code>/", views.case_page, name="case"),
    path("cases/<uuid:code>/profile/", views.profile, name="profile"),
    path("cases/<uuid:code>/openings/", views.case_openings, name="case_openings"),
    path("cases/<uuid:code>/steps/", views.step_new, name="step_new"),
    path("cases/<uuid:code>/placements/", views.placement_new, name="placement_new"),
    path("cases/<uuid:code>/income/", views.income_new, name="income_new"),
    path("steps/<uuid:code>/", views.step_result, name="step_result"),
    path("steps/<uuid:code>/edit/", views.step_edit, name="step_edit"),
    path("placements/<uuid:code>/edit/", views.placement_edit, name="placement_edit"),
    path("follow-ups/<uuid:code>/edit/", views.follow_up_edit, name="follow_up_edit"),
    path("income/<uuid:code>/edit/", views.income_edit, name="income_edit"),
    path("placements/<uuid:code>/end/", views.placement_end, name="placement_end"),
    path("follow-ups/<uuid:code>/", views.follow_up, name="follow_up"),
    path("employers/", views.employer_list, name="employers"),
    path("employers/new/", views.employer_new, name="employer_new"),
    path("employers/<uuid:code>/", views.employer_detail, name="employer"),
    path("employers/<uuid:code>/edit/", views.employer_edit, name="employer_edit"),
    path("employers/<uuid:code>/contacts/", views.contact_new, name="contact_new"),
    path("openings/", views.opening_list, name="openings"),
    path("openings/new/", views.opening_new, name="opening_new"),
    path("openings/<uuid:code>/", views.opening_detail, name="opening"),
    path("openings/<uuid:code>/edit/", views.opening_edit, name="opening_edit"),
    path("openings/<uuid:code>/close/", views.opening_close, name="opening_close"),
]
