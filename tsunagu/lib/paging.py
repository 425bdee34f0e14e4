"""A pager that stops counting at a bound (issue 12): a list of a million cases or a
one-character name search must not count every match to show "1,000件以上"."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

# Past this many matches a list asks for a narrower search rather than a longer walk.
COUNT_BOUND = 1000


class BoundedPaginator(Paginator):
    """Counts at most `bound` rows (one query: COUNT over a LIMIT), so the pages reach
    no further than the bound; `more` says whether there were more matches than that."""

    def __init__(self, object_list: Any, per_page: int, bound: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.bound = bound or COUNT_BOUND

    @cached_property
    def _bounded_count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # SELECT COUNT(*) FROM (SELECT id … LIMIT bound + 1), unordered: any bound + 1
            # rows will do, and without the list's annotations (EXISTS per row for whether
            # a person may be located, say), which a filter still uses where it names them.
            return self.object_list.order_by().values("pk")[: self.bound + 1].count()
        return len(self.object_list[: self.bound + 1])

    @cached_property
    def more(self) -> bool:
        return self._bounded_count > self.bound

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.bound)

    @property
    def count_label(self) -> str:
        if self.more:
            return _("%(count)s件以上") % {"count": f"{self.bound:,}"}
        return _("%(count)s件") % {"count": self.count}

    @property
    def num_pages_label(self) -> str:
        return f"{self.num_pages}+" if self.more else str(self.num_pages)
