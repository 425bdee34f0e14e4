from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "tsunagu.statistics"
    label = "statistics"
    verbose_name = "統計"

    def ready(self) -> None:
        # The receivers that mark a month's kept counts stale when a record it reads changes.
        from tsunagu.statistics import kept  # noqa: F401
