"""What other pages show of this app: the menu's entries (accounts.navigation), registered
in StatisticsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Staff
from tsunagu.accounts.navigation import MenuItem
from tsunagu.statistics.access import reads_statistics, supervises


def menu_items(user: Staff) -> tuple[MenuItem, ...]:
    """統計 for its readers (chief, coordinator, officer); スーパービジョン for the chief."""
    items: tuple[MenuItem, ...] = ()
    if reads_statistics(user):
        items += (MenuItem(_("統計"), "statistics:index", "statistics"),)
    if supervises(user):
        items += (MenuItem(_("スーパービジョン"), "statistics:supervision", "supervision"),)
    return items
