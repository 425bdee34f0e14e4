from django.urls import path

from tsunagu.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.index, name="index"),
    path("cases/<slug:key>/", views.cases, name="cases"),
    path("export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("supervision/", views.supervision_dashboard, name="supervision"),
    path("supervision/<slug:kind>/", views.supervision_cases, name="supervision_cases"),
]
