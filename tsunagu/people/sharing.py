"""What a partner on a person's case team may be shown of her (the consent rule, DOMAIN.md
§7), as the people pages and the case lists ask it.

The consents are kept above, by `consents`, which registers its answers here in its
`AppConfig.ready()` (docs/architecture.md, "Layers"). Until it has, nothing is shared
with a partner: every name listed to one is withheld, and a search finds nobody."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tsunagu.accounts.models import Staff
from tsunagu.people.models import Person, PersonQuerySet

# A person listed to a partner, with the case the row is of (None on the people pages).
Row = tuple[Person, Any]


@dataclass(frozen=True)
class ConsentRule:
    """consents.models.withhold_from_team and people_with_basic_shared."""

    withhold_from_team: Callable[[Staff, Sequence[Row]], None]
    people_with_basic_shared: Callable[[Staff, PersonQuerySet], PersonQuerySet]


# At most one: the consents app's.
CONSENT_RULE: list[ConsentRule] = []


def register_consent_rule(rule: ConsentRule) -> None:
    CONSENT_RULE[:] = [rule]


def withhold_from_team(user: Staff, rows: Sequence[Row]) -> None:
    """People listed to a partner at the team level: `person.basic_withheld` is set on
    those whose consents do not cover their basic information, and the showing of the
    others is logged as a disclosure."""
    if not CONSENT_RULE:
        for person, _case in rows:
            person.basic_withheld = True  # type: ignore[attr-defined]
        return
    CONSENT_RULE[0].withhold_from_team(user, rows)


def people_with_basic_shared(user: Staff, people: PersonQuerySet) -> PersonQuerySet:
    """A partner's search results narrowed to the people whose names they may see: a match
    on a name they may not see would tell them the name."""
    if not CONSENT_RULE:
        return people.none()
    return CONSENT_RULE[0].people_with_basic_shared(user, people)
