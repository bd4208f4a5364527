from django.urls import path

from . import views

app_name = "incoming"
urlpatterns = [
    path("", views.work_list, name="work_list"),
    path("new/", views.register, name="register"),
    path("scan/", views.scan, name="scan"),
    path("scan/<int:pk>/", views.scan_progress, name="scan_progress"),
    path("scan/<int:pk>/file/", views.scan_file, name="scan_file"),
    path("filters/", views.filters, name="filters"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.document_action, name="document_action"),
    path("<int:pk>/work/<int:assignment_pk>/<slug:action>/", views.assignment_action, name="assignment_action"),
    path("<int:pk>/extension/<int:request_pk>/<slug:decision>/", views.decide_extension, name="decide_extension"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("registers/", views.exports, name="exports"),
]
