from django.urls import path

from tsunagu.consents import views

app_name = "consents"

urlpatterns = [
    path("people/<uuid:code>/", views.person_consents, name="person"),
    path("people/<uuid:code>/new/", views.consent_new, name="new"),
    path("people/<uuid:code>/disclosures/", views.register, name="register"),
    path("people/<uuid:code>/disclosures/pdf/", views.register_pdf, name="register_pdf"),
    path("cases/<uuid:code>/emergency/", views.emergency, name="emergency"),
    path("<uuid:code>/withdraw/", views.consent_withdraw, name="withdraw"),
]
