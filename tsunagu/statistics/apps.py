from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "tsunagu.statistics"
    label = "statistics"
    verbose_name = "統計"

    def ready(self) -> None:
        # What this app shows on the pages of the apps below it (docs/architecture.md, "Layers").
        # The receivers of `kept` mark a month's kept counts stale when a record it reads changes.
        from tsunagu.accounts.navigation import register_menu_section
        from tsunagu.statistics import kept, panels  # noqa: F401 (kept: its receivers)

        register_menu_section(panels.menu_items)
