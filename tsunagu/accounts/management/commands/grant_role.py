"""`manage.py grant_role <username> <role> --reason …`: the one way to make an account
chief or admin (the admin site refuses it), run by an operator on the server; audited
with the field diffs. Any other role can be given this way too."""

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tsunagu.accounts.models import Agency, Role, Staff
from tsunagu.audit.models import Action, record


class Command(BaseCommand):
    help = "役割（と所属）を付与します。主任相談支援員・管理者はこのコマンドでのみ付与できます。 / Grant a role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--agency", type=int, help="所属機関の id（管理者以外で所属を変えるとき）")
        parser.add_argument("--reason", required=True, help="理由（監査記録に残ります）")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        staff = Staff.objects.select_for_update().filter(username=options["username"]).order_by("pk").first()
        if staff is None:
            raise CommandError(f"アカウント {options['username']!r} はありません。 / No such account.")
        role = options["role"]
        agency = staff.agency
        if options["agency"] is not None:
            agency = Agency.objects.filter(pk=options["agency"]).first()
            if agency is None:
                raise CommandError(f"機関 id {options['agency']} はありません。 / No such agency.")
        if role == Role.ADMIN:
            agency = None
        if role == Role.CHIEF and (agency is None or not agency.is_centre):
            raise CommandError("主任相談支援員の所属は自立相談支援機関です（--agency）。 / A chief works in a centre.")
        if role not in {Role.ADMIN, Role.SUPPORTER} and agency is None:
            raise CommandError("この役割には所属機関が必要です（--agency）。 / This role needs an agency.")
        before = {
            "role": staff.role,
            "agency": f"{staff.agency} (#{staff.agency_id})" if staff.agency else "",
            "is_staff": staff.is_staff,
            "is_superuser": staff.is_superuser,
        }
        staff.role = role
        staff.agency = agency
        # The admin site opens to the admin role only, and only admins are staff there.
        staff.is_staff = staff.is_superuser = role == Role.ADMIN
        staff.save(update_fields=["role", "agency", "is_staff", "is_superuser"])
        after = {
            "role": staff.role,
            "agency": f"{agency} (#{agency.pk})" if agency else "",
            "is_staff": staff.is_staff,
            "is_superuser": staff.is_superuser,
        }
        changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
        record(
            None,
            Action.CHANGE,
            staff,
            changes=changes,
            detail=f"manage.py grant_role（サーバー上で {getpass.getuser()} が実行）: {options['reason']}"[:500],
        )
        self.stdout.write(f"{staff.username}: {Role(role).label}" + (f"・{agency}" if agency else ""))
