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
    path("archive/", views.lookup, name="lookup"),
    path("archive/<int:pk>/", views.archived_detail, name="archived"),
]
