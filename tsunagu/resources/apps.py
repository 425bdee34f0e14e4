from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "tsunagu.resources"
    label = "resources"

    def ready(self) -> None:
        from tsunagu.cases.panels import register_case_panel
        from tsunagu.community.panels import register_district_panel
        from tsunagu.resources import (
            panels,
            summary,  # noqa: F401  (the receivers that keep the open-case counts in step)
        )

        # What this app shows on the pages of the apps below it (docs/architecture.md, "Layers").
        register_case_panel(panels.case_panel)
        register_district_panel(panels.district_open_cases)
        register_district_panel(panels.district_panel)
