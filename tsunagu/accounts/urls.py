from django.contrib.auth import views as auth_views
from django.urls import path

from tsunagu.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("second-factor/enrol/", views.enrol, name="enrol"),
    path("me/", views.account, name="account"),
    path("me/password/", views.password_change, name="password_change"),
]
