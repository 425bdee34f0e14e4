from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "tsunagu.resources"
    label = "resources"

    def ready(self) -> None:
        from tsunagu.cases.panels import register_case_panel
        from tsunagu.resources import (
            panels,
            summary,  # noqa: F401  (the receivers that keep the open-case counts in step)
        )

        # What this app shows on the case page (docs/architecture.md, "Layers").
        register_case_panel(panels.case_panel)
