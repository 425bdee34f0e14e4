from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "tsunagu.consents"
    label = "consents"

    def ready(self) -> None:
        # What this app shows on the pages of the apps below it (docs/architecture.md, "Layers").
        from tsunagu.cases.panels import register_case_panel
        from tsunagu.consents import panels

        register_case_panel(panels.case_panel)
