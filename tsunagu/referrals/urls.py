from django.urls import path

from tsunagu.referrals import views

app_name = "referrals"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("new/<uuid:case_code>/", views.referral_new, name="new"),
    path("<uuid:code>/", views.referral_detail, name="detail"),
    path("<uuid:code>/accept/", views.referral_accept, name="accept"),
    path("<uuid:code>/decline/", views.referral_decline, name="decline"),
    path("<uuid:code>/contact/", views.referral_contact, name="contact"),
    path("<uuid:code>/outcome/", views.referral_outcome, name="outcome"),
    path("<uuid:code>/withdraw/", views.referral_withdraw, name="withdraw"),
]
