from django.urls import path

from tsunagu.sheets import documents, views

app_name = "sheets"

urlpatterns = [
    path("<uuid:code>/intake/", views.intake, name="intake"),
    path("<uuid:code>/assessment/", views.assessment, name="assessment"),
    path("<uuid:code>/plan/", views.plan, name="plan"),
    path("<uuid:code>/plan/agree/", views.plan_agree, name="plan_agree"),
    path("<uuid:code>/evaluation/", views.evaluation, name="evaluation"),
    path("<uuid:code>/decisions/", views.decisions, name="decisions"),
    path("decisions/<uuid:code>/extend/", views.decision_extend, name="decision_extend"),
    path("<uuid:code>/as-of/", views.as_of, name="as_of"),
    # Documents: kind is intake, assessment, plan, evaluation, decisions or notes.
    path("<uuid:code>/<str:kind>.pdf", documents.sheet_pdf, name="pdf"),
    path("<uuid:code>/<str:kind>.xlsx", documents.sheet_xlsx, name="xlsx"),
]
