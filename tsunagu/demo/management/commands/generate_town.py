"""`manage.py generate_town --cases N --seed S`: the demo town plus N synthetic cases with
the demo's proportions (tsunagu/demo/generate.py), for measuring. Wipes the database."""

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tsunagu.demo.generate import generate


class Command(BaseCommand):
    help = "Load the demo town and add N synthetic cases (notes, sheets, tasks, meetings, audit events)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--keep", action="store_true", help="add to the database as it is (no demo reload)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if not options["keep"]:
            call_command("load_demo", force=True, verbosity=0)
        written = generate(
            options["cases"], options["seed"], progress=not options["no_progress"], log=self.stdout.write
        )
        for label, n in written.items():
            self.stdout.write(f"  {label}: {n:,}")
        self.stdout.write(f"{options['cases']:,} cases generated in {time.perf_counter() - started:.0f} s.")
