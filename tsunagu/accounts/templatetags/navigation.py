from typing import Any

from django import template

from tsunagu.accounts.navigation import MenuItem, current_item, menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context: Any) -> list[tuple[MenuItem, bool]]:
    """The menu items the signed-in user may open, each with whether it is the current page."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None:
        return []
    items = menu_for(user)
    current = current_item(request, items)
    return [(item, item is current) for item in items]
