"""`manage.py unlock_account <username> [--ip …] --reason …`: lift a sign-in lock before it
runs out (the admin site's staff list has the same action); audited."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tsunagu.accounts import lockout


class Command(BaseCommand):
    help = "ログインのロックを解除します。 / Lift a sign-in lockout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--ip", default="", help="ロックされたアドレス")
        parser.add_argument("--reason", required=True, help="理由（監査記録に残ります）")

    def handle(self, *args: Any, **options: Any) -> None:
        removed = lockout.unlock(
            by=None, username=options["username"], ip_address=options["ip"], reason=options["reason"]
        )
        self.stdout.write(
            f"解除しました（{removed}件の失敗記録を消去） / Unlocked ({removed} attempt records removed)."
        )
