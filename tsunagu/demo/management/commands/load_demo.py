"""`manage.py load_demo`: load the demo towns 雄勝野市 and 成瀬川村 (tsunagu.demo.loader)."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from tsunagu.accounts.models import Municipality, Staff
from tsunagu.audit import checkpoints
from tsunagu.audit.triggers import append_only_suspended
from tsunagu.cases.models import Case
from tsunagu.demo.loader import DemoLoader
from tsunagu.demo.town import PASSWORD
from tsunagu.people.models import Person
from tsunagu.resources import summary
from tsunagu.search.index import rebuild as rebuild_search_index
from tsunagu.statistics import kept as statistics


def database_has_data() -> bool:
    return any(model.objects.exists() for model in (Municipality, Staff, Person, Case))


def wipe_database() -> None:
    """Empty every table, the audit trail included (its append-only triggers are lifted
    for the length of the flush and put back); its checkpoints are moved aside."""
    with append_only_suspended(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Run any deferred foreign-key checks now: PostgreSQL refuses to TRUNCATE a
            # table with checks pending in the same transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    checkpoints.retire_all()


class Command(BaseCommand):
    help = (
        "デモ用の自治体（雄勝野市・成瀬川村）、職員アカウント、相談者とケースを読み込みます。"
        " / Load the demo towns, staff accounts, people and cases."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--force",
            action="store_true",
            help=(
                "データベースを（監査記録も含めて）すべて消去してから読み込みます。デモ・研修用に限ります。"
                " / Wipe the whole database, audit trail included, then load. Demo and training databases only."
            ),
        )
        group.add_argument(
            "--if-empty",
            action="store_true",
            help=(
                "データベースが空のときだけ読み込み、データがあれば何もせず終了します（make run）。"
                " / Load only into an empty database; otherwise do nothing and exit 0."
            ),
        )

    def handle(self, *args: Any, force: bool = False, if_empty: bool = False, **options: Any) -> None:
        if database_has_data() and not force:
            if if_empty:
                self.stdout.write(
                    "デモデータはすでに読み込まれています（何もしませんでした）。"
                    " / The demo data is already there; nothing was loaded."
                )
                return
            raise CommandError(
                "データベースにはすでにデータがあります。デモデータは読み込みませんでした。"
                "消去して読み込み直すには --force を付けてください（監査記録も消えます）。"
                " / The database already holds data, so the demo data was not loaded. "
                "Use --force to wipe it (audit trail included) and reload."
            )
        started = time.perf_counter()
        with transaction.atomic():
            if force:
                wipe_database()
            counts = DemoLoader().load()
            rebuild_search_index()  # the loader writes most records in bulk, which sends no signals
            summary.rebuild()  # the open-case counts, for the same reason
            statistics.rebuild()  # and the national statistics' monthly counts
        seconds = time.perf_counter() - started
        if force:
            self.stderr.write(
                self.style.WARNING(
                    "警告: --force によりデータベースを消去しました。監査記録（監査証跡）もすべて消去されています。"
                    "デモ・研修用のデータベース以外では使わないでください。"
                    " / Warning: --force wiped the database, and the audit trail with it. "
                    "Use it only on demo or training databases."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                "デモデータを読み込みました（{seconds:.1f}秒）: 自治体 {municipalities}、地区 {districts}、"
                "機関 {agencies}、職員 {staff}、相談者 {people}（{households}世帯）、ケース {cases}、"
                "支援経過記録 {notes}、タスク {tasks}、支援措置 {confidentiality_orders}、"
                "帳票（受付・申込 {intake_sheets}、アセスメント {assessment_sheets}、プラン {plan_sheets}、"
                "評価 {evaluation_sheets}）、支援決定 {support_decisions}、同意 {consents}、"
                "情報提供の記録 {disclosures}、つなぎ {referrals}、会議 {meetings}、サポーター {supporters}、"
                "サポーターからの情報 {supporter_reports}、社会資源 {resources}、監査記録 {audit_events}。"
                " / Demo data loaded in {seconds:.1f} s.".format(seconds=seconds, **counts)
            )
        )
        self.stdout.write(
            f"アカウントの一覧: python manage.py demo_accounts（パスワードはすべて {PASSWORD}）"
            f" / Accounts: python manage.py demo_accounts (password for all: {PASSWORD})"
        )
