from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "tsunagu.referrals"
    label = "referrals"

    def ready(self) -> None:
        # What this app shows on the pages of the apps below it (docs/architecture.md, "Layers").
        from tsunagu.cases.panels import register_case_panel
        from tsunagu.referrals import panels

        register_case_panel(panels.case_panel)
