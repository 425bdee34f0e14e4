import csv
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tsunagu.accounts.models import Municipality
from tsunagu.audit.models import Action, record
from tsunagu.statistics import kept
from tsunagu.statistics.definitions import parse_month, scope_for


class Command(BaseCommand):
    help = (
        "Print a municipality's national statistics (支援状況調査) for one month, the same figures as /statistics/: "
        "one line per item with the count, per 100,000 population and the 目安値."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--municipality", required=True, help="The municipality: its id, or its name (e.g. 雄勝野市)."
        )
        parser.add_argument("--month", required=True, help="YYYY-MM, e.g. 2026-11.")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = parse_month(options["month"])
        except ValueError:
            raise CommandError(f"--month must be YYYY-MM (e.g. 2026-11), not {options['month']!r}.") from None
        given = options["municipality"].strip()
        found = Municipality.objects.filter(pk=int(given)) if given.isascii() and given.isdigit() else None
        if found is None or not found.exists():
            found = Municipality.objects.filter(name=given)
        if found.count() != 1:
            raise CommandError(f"No single municipality with the id or name {given!r}.")
        municipality = found.get()
        rows, _numbers = kept.figures(scope_for(municipality), period)
        record(
            None,
            Action.EXPORT,
            object_type="statistics.national_stats",
            detail=f"{municipality.pk}:{period.short_label}",
        )
        items = [
            {
                "key": row.key,
                "label": row.label,
                "value": row.value,
                "unit": row.unit,
                "per_100k": row.per_100k,
                "guideline": list(row.guideline) if row.guideline else None,
                "meets_guideline": row.meets_guideline,
            }
            for row in rows
        ]
        if options["format"] == "json":
            document = {
                "municipality": str(municipality),
                "population": municipality.population,
                "month": f"{period.start:%Y-%m}",
                "items": items,
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["key", "label", "value", "unit", "per_100k", "guideline", "meets_guideline"])
        for row in rows:
            guideline = "-".join(str(v) for v in row.guideline) if row.guideline else ""
            mark = {True: "above", False: "below", None: ""}[row.meets_guideline]
            value = "" if row.value is None else row.value
            per = "" if row.per_100k is None else row.per_100k
            writer.writerow([row.key, row.label, value, row.unit, per, guideline, mark])
