"""Which app may import which (docs/architecture.md, "Layers"): a lower app never imports a
higher one. The imports that still go up are listed in UPWARD, each one a debt to pay
(issue 14); a new one fails here, and so does an entry that is no longer true, so the
list only shrinks. Imports under `if TYPE_CHECKING:` do not run and do not count; a
function's local import does, and so does a model relation named by a string
("sheets.IntakeSheet"): it ties the two apps' models and migrations as an import does.

Apart from the order: no two apps import each other, and no longer cycle runs through
the apps, except through the debts."""

import ast
import textwrap
from collections import defaultdict
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

APP_ROOT = Path(__file__).resolve().parents[1]

# Lowest first. An app may import those before it.
LAYERS = [
    "lib",
    "audit",
    "accounts",
    "people",
    "cases",
    "consents",
    "sheets",
    "referrals",
    "community",
    "meetings",
    "resources",
    "employment",
    "programmes",
    "statistics",
    "search",
    "demo",
]

# (importer, imported) → the modules of the importer that still import upward.
UPWARD: dict[tuple[str, str], set[str]] = {}

RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def _imports(root: Path = APP_ROOT) -> dict[tuple[str, str], set[str]]:
    """(importer, imported) → the importer's modules that import the other app or name one
    of its models in a relation."""
    apps = set(LAYERS)
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if len(parts) < 2 or parts[0] not in apps or "tests" in parts or "migrations" in parts:
            continue
        tree = ast.parse(path.read_text())
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            for app in _apps_named(node):
                if app in apps and app != parts[0]:
                    found[(parts[0], app)].add("/".join(parts[1:]))
    return found


def _apps_named(node: ast.AST) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.module:
        words = node.module.split(".")
        if words == ["tsunagu"]:  # from tsunagu import cases
            return [alias.name for alias in node.names]
        return [words[1]] if words[0] == "tsunagu" and len(words) > 1 else []
    if isinstance(node, ast.Import):
        return [w[1] for w in (a.name.split(".") for a in node.names) if w[0] == "tsunagu" and len(w) > 1]
    if isinstance(node, ast.Call) and node.args:
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        target = node.args[0]
        if name in RELATIONS and isinstance(target, ast.Constant) and isinstance(target.value, str):
            return [target.value.split(".")[0]] if "." in target.value else []
    return []


def _cycles(found: dict[tuple[str, str], set[str]]) -> set[frozenset[str]]:
    """Pairs of apps that import each other."""
    return {frozenset(pair) for pair in found if (pair[1], pair[0]) in found}


def _one_direction(found: dict[tuple[str, str], set[str]]) -> None:
    """Raise CycleError if the imports, the debts left out, run round in a cycle."""
    graph: dict[str, set[str]] = defaultdict(set)
    for importer, imported in found:
        if (importer, imported) not in UPWARD:
            graph[importer].add(imported)
    TopologicalSorter(graph).prepare()


def test_every_app_is_in_a_layer():
    apps = {p.name for p in APP_ROOT.iterdir() if (p / "__init__.py").exists()} - {"tests"}
    assert apps == set(LAYERS)


def test_lower_apps_do_not_import_higher_ones_beyond_the_known_debts():
    upward = {pair: files for pair, files in _imports().items() if LAYERS.index(pair[1]) > LAYERS.index(pair[0])}
    assert upward == UPWARD


def test_no_two_apps_import_each_other_beyond_the_known_debts():
    assert _cycles(_imports()) <= {frozenset(pair) for pair in UPWARD}


def test_without_the_debts_no_cycle_runs_through_the_apps():
    _one_direction(_imports())


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def test_the_checks_see_every_kind_of_import_and_only_those(tmp_path):
    root = _write(
        tmp_path,
        {
            "people/models.py": """
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from tsunagu.meetings.models import Meeting
                def team(person):
                    from tsunagu.cases.models import Case
                    return Case.objects.filter(person=person)
            """,
            "people/forms.py": "from tsunagu import consents\n",
            "people/tests/test_models.py": "from tsunagu.demo import town\n",
            "cases/models.py": "import tsunagu.people.models\n",
            "consents/models.py": """
                from django.db import models
                class Consent(models.Model):
                    sheet = models.ForeignKey("sheets.IntakeSheet", on_delete=models.PROTECT)
            """,
            "sheets/models.py": "from tsunagu.consents.models import Consent\n",
        },
    )
    found = _imports(root)
    assert found == {
        ("people", "cases"): {"models.py"},
        ("people", "consents"): {"forms.py"},
        ("cases", "people"): {"models.py"},
        ("consents", "sheets"): {"models.py"},
        ("sheets", "consents"): {"models.py"},
    }
    assert _cycles(found) == {frozenset({"people", "cases"}), frozenset({"consents", "sheets"})}


def test_a_cycle_of_three_apps_is_found_without_any_pair_importing_each_other():
    found = {("lib", "audit"): {"x.py"}, ("audit", "accounts"): {"y.py"}, ("accounts", "lib"): {"z.py"}}
    assert _cycles(found) == set()
    with pytest.raises(CycleError):
        _one_direction(found)


def test_the_apps_above_fill_in_what_the_apps_below_show_and_ask():
    """The registries the debts were paid with, filled in each app's AppConfig.ready() in
    the order of INSTALLED_APPS; the pages render the panels in their templates' order.
    (A hand-off's referral, the handed_off signal: referrals/tests/test_flow.py.)"""
    from tsunagu.accounts.navigation import MENU_SECTIONS
    from tsunagu.cases.models import CaseState as S
    from tsunagu.cases.panels import CASE_PANELS, CONSENT_SCOPE, LOCATION_MASKS, MY_DAY_PANELS
    from tsunagu.cases.transitions import MOVES
    from tsunagu.community.panels import DISTRICT_PANELS, ISSUE_PANELS, NETWORK_PANELS
    from tsunagu.people.models import CASE_TEAM
    from tsunagu.people.panels import PERSON_PANELS
    from tsunagu.people.sharing import CONSENT_RULE
    from tsunagu.referrals.snapshot import SECTIONS

    def apps(functions):
        return [f.__module__.split(".")[1] for f in functions]

    case_page = "sheets consents referrals community meetings resources employment programmes"
    assert " ".join(apps(CASE_PANELS)) == case_page
    assert apps(CONSENT_SCOPE) == ["consents"]
    assert apps(CASE_TEAM) == apps(PERSON_PANELS) == ["cases"]
    assert apps(MY_DAY_PANELS) == ["community", "meetings"]
    assert [f"{apps([f])[0]}.{f.__name__}" for f in LOCATION_MASKS] == [
        "referrals.hide_destinations",
        "employment.hide_workplaces",
    ]
    assert [f"{apps([f])[0]}.{f.__name__}" for f in DISTRICT_PANELS] == [
        "meetings.district_meetings",
        "resources.district_open_cases",
        "resources.district_panel",
    ]
    assert [f"{apps([f])[0]}.{f.__name__}" for f in NETWORK_PANELS] == ["meetings.network_meetings"]
    assert [f"{apps([f])[0]}.{f.__name__}" for f in ISSUE_PANELS] == ["meetings.issue_panel"]
    assert [apps([rule.withhold_from_team, rule.people_with_basic_shared]) for rule in CONSENT_RULE] == [
        ["consents", "consents"]
    ]
    assert apps(MENU_SECTIONS) == ["community", "statistics", "employment", "programmes"]
    assert {category: apps([f])[0] for category, f in SECTIONS.items()} == {
        "employment": "employment",
        "programmes": "programmes",
    }
    gates = {(source, m.target): [need.model for need in m.needs] for m in MOVES for source in m.sources if m.needs}
    assert gates == {
        (S.SCREENING, S.APPLIED): ["IntakeSheet"],
        (S.ASSESSMENT, S.PLAN_DRAFT): ["AssessmentSheet"],
        (S.PLAN_DRAFT, S.COORDINATION): ["PlanSheet"],
        (S.COORDINATION, S.DECIDED): ["PlanSheet"],
    }
