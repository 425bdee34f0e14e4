"""Count the open cases per area again from the records (resources.summary): after a
bulk load, and nightly, for orders of whereabouts confidentiality whose last day passed."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tsunagu.resources import summary


class Command(BaseCommand):
    help = "Rebuild the open-case counts per district, state and issue from the records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", type=int, default=None, help="only this municipality's id")

    def handle(self, *args: Any, **options: Any) -> None:
        counted = summary.rebuild(options["municipality"])
        self.stdout.write(f"{counted} open cases counted.")
