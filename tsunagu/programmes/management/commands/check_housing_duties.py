"""Check 住居確保給付金 recipients' duties for the month so far, and give the worker a task
for each shortfall (docs/programmes.md: run it daily or on the 20th and 25th by cron or a
systemd timer; running it again updates the same task)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tsunagu.lib.wareki import parse_date
from tsunagu.programmes.changes import check_duties


class Command(BaseCommand):
    help = "住居確保給付金の受給者の求職活動を確かめ、不足があれば担当者にタスクを作ります。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="この日までの記録で確かめます（既定: 今日）。例: 2026-12-25")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = parse_date(options["date"]) if options.get("date") else timezone.localdate()
        if as_of is None:
            self.stderr.write("日付として読めません。例: 2026-12-25")
            raise SystemExit(2)
        checks = check_duties(as_of)
        short = [c for c in checks if c.shortfall]
        self.stdout.write(f"{as_of:%Y-%m}: {len(checks)}人を確認、不足 {len(short)}人")
