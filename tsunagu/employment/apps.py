from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "tsunagu.employment"
    verbose_name = "就労支援"

    def ready(self) -> None:
        # What this app shows on the pages of the apps below it, and what a referral carries of it.
        from tsunagu.accounts.navigation import register_menu_section
        from tsunagu.cases.panels import register_case_panel, register_location_mask
        from tsunagu.consents.models import Category
        from tsunagu.employment import panels, sharing
        from tsunagu.referrals.snapshot import register_section

        register_case_panel(panels.case_panel)
        register_location_mask(panels.hide_workplaces)
        register_menu_section(panels.menu_items)
        register_section(Category.EMPLOYMENT, sharing.snapshot_section)
