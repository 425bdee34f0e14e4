"""Forms shown on demand: a page does not render a form it may never need when the form
is heavy (a list of every worker of the centre, which grows with the town). The page
holds a closed <details> with `includes/form_on_demand.html`; opening it asks the form's
own URL with htmx, which answers the form alone (a partial of the form's page); a browser
without JavaScript follows the link to the form's page instead. Posting the form is an
ordinary post either way."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_form(request: HttpRequest, template: str, partial: str, context: dict[str, Any]) -> HttpResponse:
    """The form's page, or only its partial when htmx asks (the form opened in place)."""
    name = f"{template}#{partial}" if request.headers.get("HX-Request") else template
    return render(request, name, context)
