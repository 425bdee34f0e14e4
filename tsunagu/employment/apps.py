from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "tsunagu.employment"
    verbose_name = "就労支援"

    def ready(self) -> None:
        # What this app shows on the pages of the apps below it (docs/architecture.md, "Layers").
        from tsunagu.accounts.navigation import register_menu_section
        from tsunagu.cases.panels import register_case_panel
        from tsunagu.employment import panels

        register_case_panel(panels.case_panel)
        register_menu_section(panels.menu_items)
