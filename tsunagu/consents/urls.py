app_name = "consents"

urlpatterns: list = []
