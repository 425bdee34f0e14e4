from django.urls import path

from tsunagu.resources import views

app_name = "resources"

urlpatterns = [
    path("", views.resource_list, name="list"),
    path("new/", views.resource_new, name="new"),
    path("export/hsds.json", views.export_json, name="export_json"),
    path("export/hsds.zip", views.export_package, name="export_package"),
    path("import/", views.import_file, name="import"),
    path("gaps/", views.gap_list, name="gaps"),
    path("gaps/propose/", views.gap_propose, name="propose"),
    path("for-case/<uuid:code>/", views.for_case, name="for_case"),
    path("for-case/<uuid:code>/plan/<uuid:resource_code>/", views.add_resource_to_plan, name="add_to_plan"),
    path("<uuid:code>/", views.resource_detail, name="detail"),
    path("<uuid:code>/edit/", views.resource_edit, name="edit"),
    path("<uuid:code>/check/", views.resource_check, name="check"),
    path("<uuid:code>/deactivate/", views.resource_deactivate, name="deactivate"),
    path("<uuid:code>/reactivate/", views.resource_reactivate, name="reactivate"),
]
