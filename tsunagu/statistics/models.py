"""The national statistics, counted once per centre and month (statistics.kept): the
pages, the exports and `national_stats` read these instead of counting the records on
every request (docs/statistics.md, "Kept counts")."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency
from tsunagu.lib.models import Model


class CountedMonth(Model):
    """One centre's counts of one month (the first day of the month, Japan time): one
    number per figure key (definitions.Counts). `stale_since` is set, in the same
    transaction, by any change of a record the month's figures read; the next read
    counts the month again before answering."""

    centre = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    counts = models.JSONField(default=dict)
    counted_at = models.DateTimeField(null=True)
    stale_since = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("月ごとの集計")
        verbose_name_plural = _("月ごとの集計")
        constraints = [models.UniqueConstraint(fields=["centre", "month"], name="counted_month_once")]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.month:%Y-%m}"


class CountedCase(Model):
    """A case counted in a figure that counts a person once per period (a placement, a
    rise of income, an evaluation, a move): a fiscal year counts the distinct cases of
    its months, which a sum of the monthly numbers would not. For evaluations,
    `improved` is the case's last version of the month."""

    centre = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    key = models.CharField(max_length=40)
    case_id = models.BigIntegerField()
    improved = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("集計に数えたケース")
        verbose_name_plural = _("集計に数えたケース")
        constraints = [models.UniqueConstraint(fields=["centre", "month", "key", "case_id"], name="counted_case_once")]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.month:%Y-%m} {self.key} {self.case_id}"
