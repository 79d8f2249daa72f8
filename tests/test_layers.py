"""The floors of the house: which module may import which, and no import cycle anywhere.

Every import counts — at the top of a module, inside a function, under `TYPE_CHECKING` — because
each one is a dependency the reader has to hold in mind. The floors, bottom to top:

0. `base` (regions, staff, roles, scope, identity, steps …) and the settings helpers of `config`
1. the domain apps: `workforce`, `programs`, `training`, `welfare`
2. what reads across the domains: `sheets` and every app's `resources` (spreadsheets), `audit`,
   `dashboards`, `reporting`, `ops`, `growth` (a worker's 成长档案)
3. the admin: `adminsite` and every app's `admin`
4. the demo data: `demo`
5. the site that wires it together: `config.urls`, `config.wsgi`, `config.asgi`

A module may import its own floor and the floors below it, never a floor above. Tests stand
outside the house and may import anything.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_APPS = ("workforce", "programs", "training", "welfare")
FLOOR_NAMES = ("base", "domain", "sheets/audit/dashboards", "admin", "demo", "site")
PACKAGES = {
    "base": 0,
    **dict.fromkeys(DOMAIN_APPS, 1),
    "sheets": 2,
    "audit": 2,
    "dashboards": 2,
    "reporting": 2,
    "growth": 2,
    "ops": 2,
    "adminsite": 3,
    "demo": 4,
}
SITE_MODULES = ("config.urls", "config.wsgi", "config.asgi")
# Folders that hold no project code (installed packages, collected or vendored files).
OUTSIDE = {"node_modules", "staticfiles", "static", "artifacts", "media", "backups"}


def floor_of(module: str) -> int | None:
    """The floor of a project module, or None for tests and for what is not the project's."""
    parts = module.split(".")
    if "tests" in parts or parts[0] in ("tests", "conftest", "benchmarks", "scripts", "manage"):
        return None
    if module in SITE_MODULES:
        return 5
    if parts[0] == "config":
        return 0
    if parts[0] not in PACKAGES:
        return None
    if len(parts) > 1 and parts[1] == "admin":
        return 3
    if len(parts) > 1 and parts[1] == "resources" and parts[0] in DOMAIN_APPS:
        return 2
    return PACKAGES[parts[0]]


def project_modules() -> dict[str, Path]:
    modules = {}
    for path in ROOT.rglob("*.py"):
        name = path.relative_to(ROOT)
        if any(part.startswith(".") or part in OUTSIDE for part in name.parts):
            continue
        parts = list(name.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts:
            modules[".".join(parts)] = path
    return modules


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """Every project module `module` imports, wherever in the file the import stands."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from a import b` imports module a.b when b is a module, else a name of a.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    known = set(modules)
    return {module: imports_of(module, path, known) for module, path in modules.items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in sorted(graph.items()):
        floor = floor_of(module)
        if floor is None:
            continue
        for target in sorted(targets):
            target_floor = floor_of(target)
            if target_floor is not None and target_floor > floor:
                wrong.append(
                    f"{module} ({FLOOR_NAMES[floor]}) imports {target} "
                    f"({FLOOR_NAMES[target_floor]})"
                )
    return wrong


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def app_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The same imports between apps (top-level packages), project code only."""
    apps: dict[str, set[str]] = defaultdict(set)
    for module, targets in graph.items():
        app = module.split(".")[0]
        # An app's admin and resources stand on higher floors than the app itself.
        if floor_of(module) is None or floor_of(module) != PACKAGES.get(app):
            continue
        for target in targets:
            if floor_of(target) is not None and target.split(".")[0] != app:
                apps[app].add(target.split(".")[0])
    return apps


def test_every_project_module_stands_on_a_floor():
    unplaced = [
        module
        for module in project_modules()
        if floor_of(module) is None
        and not module.startswith(("tests", "benchmarks", "scripts"))
        and "tests" not in module.split(".")
        and module not in ("conftest", "manage")
    ]
    assert unplaced == [], "add these to a floor in tests/test_layers.py: " + ", ".join(unplaced)


def test_no_module_imports_a_floor_above_its_own():
    assert upward_imports(import_graph()) == []


def test_no_module_takes_part_in_an_import_cycle():
    assert cycles(import_graph()) == []


def test_the_base_imports_no_domain_app():
    graph = app_graph(import_graph())
    assert graph["base"] <= {"config"}


def test_the_domain_apps_import_each_other_without_a_cycle():
    graph = app_graph(import_graph())
    domain = {app: graph[app] & set(DOMAIN_APPS) for app in DOMAIN_APPS}
    assert cycles(domain) == []


# The checks above must be able to fail: each is shown one planted wrong import.


def test_an_upward_import_is_reported():
    graph = {"base.scope": {"workforce.models"}, "workforce.models": {"base.models"}}
    assert upward_imports(graph) == [
        "base.scope (base) imports workforce.models (domain)",
    ]


def test_a_resource_stands_with_sheets_and_an_admin_with_the_admin():
    assert floor_of("workforce.resources") == 2
    assert floor_of("welfare.admin") == 3
    assert upward_imports({"workforce.models": {"workforce.resources"}}) != []
    assert upward_imports({"sheets.importer": {"programs.admin"}}) != []


def test_a_cycle_is_reported_even_through_a_function_local_import(tmp_path):
    module = tmp_path / "models.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from dashboards.catalogue import X\n"
        "def f():\n    from dashboards import catalogue\n"
    )
    found = imports_of("programs.models", module, {"dashboards.catalogue", "dashboards"})
    assert found == {"dashboards.catalogue"}
    graph = {"programs.models": found, "dashboards.catalogue": {"programs.models"}}
    assert cycles(graph) == [["dashboards.catalogue", "programs.models"]]


@pytest.mark.parametrize("module", ["sheets", "sheets.importer"])
def test_relative_imports_resolve_to_their_module(tmp_path, module):
    path = tmp_path / ("__init__.py" if module == "sheets" else "importer.py")
    path.write_text("from . import normalise\nfrom .fields import SheetField\n")
    assert imports_of(module, path, {"sheets", "sheets.normalise", "sheets.fields"}) == {
        "sheets.normalise",
        "sheets.fields",
    }
