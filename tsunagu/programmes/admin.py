"""The municipality's 住居確保給付金 limits are configuration: the admin sets them."""

from django.contrib import admin

from tsunagu.accounts.admin import AuditedAdmin, site
from tsunagu.programmes.models import HousingLimit


@admin.register(HousingLimit, site=site)
class HousingLimitAdmin(AuditedAdmin):
    list_display = ("municipality", "household_size", "income_base", "rent_cap", "asset_cap")
    list_filter = ("municipality",)
