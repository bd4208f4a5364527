from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("login/code/", views.second_step, name="second_step"),
    path("logout/", views.sign_out, name="logout"),
    path("security/", views.security, name="security"),
    path("security/two-step/", views.enrol_two_factor, name="enrol_two_factor"),
]
