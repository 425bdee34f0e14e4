from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheetsConfig(AppConfig):
    name = "tsunagu.sheets"
    label = "sheets"
    verbose_name = _("帳票")

    def ready(self) -> None:
        # The case page's checklist, and the sheets the moves of a case ask for.
        from tsunagu.cases.panels import register_case_panel
        from tsunagu.sheets import gates, panels

        register_case_panel(panels.case_panel)
        gates.register()  # what the moves of a case need written first
