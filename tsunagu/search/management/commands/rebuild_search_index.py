from typing import Any

from django.core.management.base import BaseCommand

from tsunagu.search.index import rebuild


class Command(BaseCommand):
    help = "全文検索の索引を記録から作り直します（一括で書かれた記録のあと、または索引の修復に）。"

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(kind: str, count: int) -> None:
            self.stdout.write(f"{kind}: {count}")

        total = rebuild(progress)
        self.stdout.write(self.style.SUCCESS(f"索引を作り直しました（{total}件）。"))
