"""`manage.py reset_second_factor <username> --reason …`: remove an account's authenticator
app and recovery codes (a lost phone); it enrols again at its next sign-in. Audited."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.accounts import mfa
from tsunagu.accounts.models import Staff


class Command(BaseCommand):
    help = "二段階認証の登録を解除します。 / Remove an account's second factor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="理由（監査記録に残ります）")

    def handle(self, *args: Any, **options: Any) -> None:
        staff = Staff.objects.filter(username=options["username"]).first()
        if staff is None:
            raise CommandError(f"アカウント {options['username']!r} はありません。 / No such account.")
        mfa.reset(staff, by=None, reason=options["reason"])
        self.stdout.write(f"{staff.username}: 二段階認証を解除しました / second factor removed.")
