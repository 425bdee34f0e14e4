"""The admin site is for configuration only (municipalities, districts, agencies,
accounts) and only for the `admin` role. Personal records are not registered here:
they are reached only through the access functions of the app's own screens."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency, District, Municipality, Role, Staff


class TsunaguAdminSite(admin.AdminSite):
    site_header = _("つなぐ 管理")
    site_title = _("つなぐ 管理")
    index_title = _("設定")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "role", None) == Role.ADMIN)


site = TsunaguAdminSite(name="admin")


@admin.register(Municipality, site=site)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "prefecture", "population", "monitoring_interval_months")


@admin.register(District, site=site)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "municipality", "number")
    list_filter = ("municipality",)


@admin.register(Agency, site=site)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "municipality")
    list_filter = ("municipality", "kind")
    search_fields = ("name",)


@admin.register(Staff, site=site)
class StaffAdmin(UserAdmin):
    list_display = ("username", "display_name", "agency", "role", "is_active")
    list_filter = ("role", "agency__municipality", "is_active")
    search_fields = ("username", "display_name")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("所属と役割"), {"fields": ("display_name", "agency", "role")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("所属と役割"), {"fields": ("display_name", "agency", "role")}),
    )
