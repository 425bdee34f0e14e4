from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "tsunagu.programmes"
    label = "programmes"
    verbose_name = _("事業の実施")

    def ready(self) -> None:
        # What this app shows on the pages of the apps below it, and what a referral carries of it.
        from tsunagu.accounts.navigation import register_menu_section
        from tsunagu.cases.panels import register_case_panel
        from tsunagu.consents.models import Category
        from tsunagu.programmes import panels, sharing
        from tsunagu.referrals.snapshot import register_section

        register_case_panel(panels.case_panel)
        register_menu_section(panels.menu_items)
        register_section(Category.PROGRAMMES, sharing.snapshot_section)
