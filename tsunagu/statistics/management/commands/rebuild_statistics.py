"""Count every centre's months of the national statistics again from the records
(statistics.kept): after a bulk load (which sends no signals), and nightly."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from tsunagu.statistics import kept


class Command(BaseCommand):
    help = "Rebuild the kept monthly counts of the national statistics (支援状況調査) from the records."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counted = kept.rebuild()
        self.stdout.write(f"{counted} months counted in {time.perf_counter() - started:.1f} s.")
