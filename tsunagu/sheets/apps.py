from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheetsConfig(AppConfig):
    name = "tsunagu.sheets"
    label = "sheets"
    verbose_name = _("帳票")

    def ready(self) -> None:
        # The case page's checklist (docs/architecture.md, "Layers").
        from tsunagu.cases.panels import register_case_panel
        from tsunagu.sheets import panels

        register_case_panel(panels.case_panel)
