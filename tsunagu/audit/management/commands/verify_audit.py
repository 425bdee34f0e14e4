from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tsunagu.audit.models import AuditEvent, first_broken_event


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; exit non-zero naming the first bad row."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = first_broken_event()
        if broken is not None:
            event, reason = broken
            raise CommandError(f"Audit row {event.pk} ({event.at:%Y-%m-%d %H:%M:%S}) is bad: {reason}.")
        self.stdout.write(f"Audit trail intact: {AuditEvent.objects.count()} rows.")
