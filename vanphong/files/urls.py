from django.urls import path

from . import views

app_name = "files"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/add/", views.add_document, name="add_document"),
    path("<int:pk>/metadata/", views.metadata, name="metadata"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/file/<int:file_pk>/", views.item_file, name="item_file"),
    path("handovers/", views.handovers, name="handovers"),
    path("handovers/<int:pk>/<str:action>/", views.decide, name="decide"),
    path("handover/<int:pk>/<str:document>.<str:file_format>", views.handover_document, name="handover_document"),
    path("<int:pk>/hold/", views.hold, name="hold"),
    path("archive/", views.lookup, name="lookup"),
    path("archive/<int:pk>/", views.archived_detail, name="archived"),
    path("archive/<int:pk>/package/", views.export_package, name="export_package"),
    path("archive/import/", views.import_package, name="import_package"),
    path("plan/", views.plan_home, name="plan_home"),
    path("plan/<int:agency>/<int:year>/", views.plan, name="plan"),
    path("plan/<int:agency>/<int:year>/start/", views.plan_start, name="plan_start"),
    path("plan/<int:agency>/<int:year>/approve/", views.plan_approve, name="plan_approve"),
    path("plan/<int:agency>/<int:year>/xlsx/", views.plan_download, name="plan_download"),
    path("plan/<int:agency>/<int:year>/import/", views.plan_import, name="plan_import"),
    path("destruction/", views.destruction_home, name="destruction_home"),
    path("destruction/<int:agency>/", views.destruction, name="destruction"),
    path("destruction/<int:agency>/propose/", views.destruction_propose, name="destruction_propose"),
    path("destruction/proposal/<int:pk>/approve/", views.destruction_approve, name="destruction_approve"),
]
