from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "tsunagu.community"
    label = "community"

    def ready(self) -> None:
        # What this app shows on the pages of the apps below it (docs/architecture.md, "Layers").
        from tsunagu.accounts.navigation import register_menu_section
        from tsunagu.cases.panels import register_case_panel, register_my_day_panel
        from tsunagu.community import panels

        register_case_panel(panels.case_panel)
        register_my_day_panel(panels.my_day_panel)
        register_menu_section(panels.menu_items)
