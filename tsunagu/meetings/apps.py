from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tsunagu.meetings"
    label = "meetings"

    def ready(self) -> None:
        # What this app shows on the pages of the apps below it (docs/architecture.md, "Layers").
        from tsunagu.cases.panels import register_case_panel, register_my_day_panel
        from tsunagu.community.panels import (
            register_district_panel,
            register_issue_panel,
            register_network_panel,
        )
        from tsunagu.meetings import panels

        register_case_panel(panels.case_panel)
        register_my_day_panel(panels.my_day_panel)
        register_district_panel(panels.district_meetings)
        register_network_panel(panels.network_meetings)
        register_issue_panel(panels.issue_panel)
