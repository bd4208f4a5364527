from django.urls import path

from . import views

app_name = "outgoing"
urlpatterns = [
    path("", views.work_list, name="work_list"),
    path("<int:pk>/", views.detail, name="detail"),
]
