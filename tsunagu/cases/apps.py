from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "tsunagu.cases"
    label = "cases"

    def ready(self) -> None:
        # What this app answers and shows for the app below it (docs/architecture.md, "Layers").
        from tsunagu.cases import models, panels
        from tsunagu.people.models import register_case_team
        from tsunagu.people.panels import register_person_panel

        register_case_team(models.team_condition)
        register_person_panel(panels.person_cases)
