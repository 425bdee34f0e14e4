from django.urls import path

from tsunagu.programmes import documents, views

app_name = "programmes"

urlpatterns = [
    path("case/<uuid:code>/", views.case_programmes, name="case"),
    path("case/<uuid:code>/aid/", views.aid_add, name="aid_add"),
    path("case/<uuid:code>/housing/", views.application_add, name="application_add"),
    path("case/<uuid:code>/stays/", views.stay_add, name="stay_add"),
    path("case/<uuid:code>/budget/", views.budget, name="budget"),
    # kind is budget (家計表) or cashflow (キャッシュフロー表).
    path("case/<uuid:code>/<str:kind>.pdf", documents.budget_pdf, name="budget_pdf"),
    path("stays/<uuid:code>/", views.stay_edit, name="stay_edit"),
    path("aid/<uuid:code>/result/", views.aid_result, name="aid_result"),
    path("housing/<uuid:code>/", views.housing, name="housing"),
    path("housing/<uuid:code>/pay/", views.housing_pay, name="housing_pay"),
    path("housing/<uuid:code>/duty/", views.housing_duty, name="housing_duty"),
    path("payments/", views.housing_payments, name="payments"),
    path("payments.xlsx", documents.payments_xlsx, name="payments_xlsx"),
    path("ledger/", views.emergency_ledger, name="ledger"),
    path("ledger/stock/", views.stock_add, name="stock_add"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<uuid:code>/", views.session_detail, name="session"),
]
