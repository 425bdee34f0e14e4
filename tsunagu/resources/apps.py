from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "tsunagu.resources"
    label = "resources"

    def ready(self) -> None:
        # The receivers that keep the open-case counts in step with the records.
        from tsunagu.resources import summary  # noqa: F401
