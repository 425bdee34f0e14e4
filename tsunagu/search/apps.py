from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tsunagu.search"
    label = "search"

    def ready(self) -> None:
        from tsunagu.search import signals

        signals.connect()
