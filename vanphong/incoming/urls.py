app_name = "incoming"
urlpatterns = []
