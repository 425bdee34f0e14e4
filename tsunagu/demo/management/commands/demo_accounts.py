"""`manage.py demo_accounts`: print the demo accounts (`make run` shows them at start)."""

import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand

from tsunagu.accounts.models import Role, Staff
from tsunagu.demo.community import COMMUNITY_ACCOUNTS, COMMUNITY_USERNAMES
from tsunagu.demo.town import ACCOUNTS, DEMO_USERNAMES, PASSWORD


def width(text: str) -> int:
    """Columns the text takes in a terminal: full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


class Command(BaseCommand):
    help = "デモ用アカウントの一覧を表示します。 / Print the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        usernames = (*DEMO_USERNAMES, *COMMUNITY_USERNAMES)
        found = {s.username: s for s in Staff.objects.filter(username__in=usernames).select_related("agency")}
        if not found:
            self.stdout.write(
                "デモアカウントはありません。python manage.py load_demo で作成できます。"
                " / There are no demo accounts; python manage.py load_demo creates them."
            )
            return
        rows = [("ユーザー名", "役割", "所属", "表示名", "パスワード")]
        works: dict[str, bool] = {}
        # The community's accounts (district chiefs, supporters) when tsunagu.demo.community loaded them.
        for account in (*ACCOUNTS, *COMMUNITY_ACCOUNTS):
            staff = found.get(account.username)
            if staff is None:
                continue
            # The load gives every account the same hash: check each distinct hash once
            # (Argon2 is slow), without the rehash-and-save that Staff.check_password does.
            if staff.password not in works:
                works[staff.password] = check_password(PASSWORD, staff.password)
            rows.append(
                (
                    staff.username,
                    str(Role(staff.role).label) if staff.role in Role.values else staff.role,
                    staff.agency.name
                    if staff.agency
                    else ("（所属なし・報告のみ）" if staff.role == Role.SUPPORTER else "（所属なし・設定のみ）"),
                    staff.display_name,
                    PASSWORD if works[staff.password] else "（変更済み / changed）",
                )
            )
        columns = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
        self.stdout.write(f"デモアカウント / Demo accounts (password: {PASSWORD})")
        for index, row in enumerate(rows):
            self.stdout.write("  ".join(pad(cell, columns[i]) for i, cell in enumerate(row)).rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * c for c in columns))
        if settings.TSUNAGU_MFA == "required":
            self.stdout.write(
                "二段階認証: 主任・相談員・就労支援員・推進員・自治体担当・管理者は、"
                "最初のログインで認証アプリを登録します。"
                " / Second factor required: those roles enrol an authenticator app at first sign-in."
            )
        else:
            self.stdout.write(
                "二段階認証: デモでは任意です（TSUNAGU_MFA=optional）。「アカウント」から登録できます。"
                "本番の既定は必須です。"
                " / Second factor optional in the demo; production requires it (TSUNAGU_MFA=required)."
            )
        self.stdout.write(
            f"ログインに{settings.LOGIN_FAILURE_LIMIT}回失敗すると{settings.LOGIN_LOCKOUT_MINUTES}分ロックされます"
            "（この端末のアドレスも）。解除: python manage.py unlock_account <ユーザー名> --ip 127.0.0.1 --reason デモ"
            " / Locked out? unlock_account <username> --ip 127.0.0.1 --reason demo"
        )
        missing = [name for name in DEMO_USERNAMES if name not in found]
        if missing:
            self.stdout.write(f"見つからないデモアカウント / Missing demo accounts: {', '.join(missing)}")
