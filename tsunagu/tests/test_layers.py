"""Which app may import which (docs/architecture.md, "Layers"): a lower app never imports a
higher one. The imports that still go up are listed in UPWARD, each one a debt to pay
(issue 14); a new one fails here, and so does an entry that is no longer true, so the
list only shrinks. Imports under `if TYPE_CHECKING:` do not run and do not count; a
function's local import does."""

import ast
from collections import defaultdict
from pathlib import Path

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
UPWARD: dict[tuple[str, str], set[str]] = {
    # The case page, its list and /my/ show a partner what the consents cover, and mask the
    # names of where she was sent (referrals.access.hide_destinations).
    ("cases", "consents"): {"views.py"},
    ("cases", "referrals"): {"views.py"},
    # The network page lists the community care meetings, a regional issue goes on an
    # agenda; the district page shows the resources.
    ("community", "meetings"): {"issue_views.py", "network.py", "views.py"},
    ("community", "resources"): {"views.py"},
    # Who may see a person, and her whereabouts: her case team (people.access).
    ("people", "cases"): {"access.py", "views.py"},
    ("people", "consents"): {"views.py"},
}


def _imports() -> dict[tuple[str, str], set[str]]:
    apps = set(LAYERS)
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in APP_ROOT.rglob("*.py"):
        parts = path.relative_to(APP_ROOT).parts
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
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                words = module.split(".")
                if words[0] == "tsunagu" and len(words) > 1 and words[1] in apps and words[1] != parts[0]:
                    found[(parts[0], words[1])].add("/".join(parts[1:]))
    return found


def test_every_app_is_in_a_layer():
    apps = {p.name for p in APP_ROOT.iterdir() if (p / "__init__.py").exists()} - {"tests"}
    assert apps == set(LAYERS)


def test_lower_apps_do_not_import_higher_ones_beyond_the_known_debts():
    upward = {pair: files for pair, files in _imports().items() if LAYERS.index(pair[1]) > LAYERS.index(pair[0])}
    assert upward == UPWARD
