from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "tsunagu.consents"
    label = "consents"

    def ready(self) -> None:
        # What this app shows on the pages of the apps below it (docs/architecture.md, "Layers").
        from tsunagu.cases.panels import register_case_panel, register_consent_scope
        from tsunagu.consents import models, panels
        from tsunagu.people.sharing import ConsentRule, register_consent_rule

        register_consent_rule(ConsentRule(models.withhold_from_team, models.people_with_basic_shared))
        register_consent_scope(models.scope_on_case)
        register_case_panel(panels.case_panel)
