from django.urls import path

from . import views

app_name = "outgoing"
urlpatterns = [
    path("", views.work_list, name="work_list"),
    path("new/", views.new, name="new"),
    path("registers/", views.exports, name="exports"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.action, name="action"),
    path("<int:pk>/versions/<int:version_pk>/<slug:kind>/", views.version_file, name="version_file"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("<int:pk>/issued/", views.issued_file, name="issued_file"),
]
