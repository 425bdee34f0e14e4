from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "tsunagu.statistics"
    label = "statistics"
    verbose_name = "統計"

    def ready(self) -> None:
        # What this app shows on the pages of the apps below it (docs/architecture.md, "Layers").
        from tsunagu.accounts.navigation import register_menu_section
        from tsunagu.statistics import panels

        register_menu_section(panels.menu_items)
