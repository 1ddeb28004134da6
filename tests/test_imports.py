"""Dependencies point one way: read every module's imports and hold the package graph to it.

- `core` imports no other package of the app;
- the domains and the search index never import the presentation (`public`, `api`): what
  presents data listens for changes instead;
- no new cycle between packages.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "directory"
PRESENTATION = {"public", "api", "embeds"}
DOMAINS = {"accounts", "clinics", "therapists", "reviews", "moderation", "search", "self_service"}
# The domains still call each other's services both ways (a clinic's dashboard counts its
# reviews, reviews name moderation's reason codes, ...).  This cycle may shrink; nothing
# may join it, and no other cycle may form.
KNOWN_CYCLE = {"clinics", "moderation", "reviews", "search", "therapists"}


def package_imports() -> dict[tuple[str, str], list[str]]:
    """(importing package, imported package) -> the modules where it happens."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(PACKAGE_ROOT.rglob("*.py")):
        parts = path.relative_to(PACKAGE_ROOT).parts
        if len(parts) == 1:
            continue  # create_app() and the model registry bring everything together
        source = parts[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                names = module.split(".")
                target = names[1] if names[0] == "directory" and len(names) > 1 else None
                if target not in (None, source) and (PACKAGE_ROOT / target).is_dir():
                    found[(source, target)].append(str(path.relative_to(PACKAGE_ROOT)))
    return found


def cycles(edges: set[tuple[str, str]]) -> list[set[str]]:
    """The strongly connected groups of more than one package (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_domain_and_not_core_imports_the_presentation():
    offending = {
        f"{source} -> {target}: {', '.join(modules)}"
        for (source, target), modules in package_imports().items()
        if source in DOMAINS | {"core"} and target in PRESENTATION
    }
    assert not offending, "let the presentation listen for changes instead"


def test_core_imports_no_other_package_of_the_app():
    offending = [edge for edge in package_imports() if edge[0] == "core"]
    assert offending == []


def test_no_new_cycle_between_packages():
    groups = cycles(set(package_imports()))
    assert all(group <= KNOWN_CYCLE for group in groups), groups
    assert not any(group & PRESENTATION for group in groups)


def test_the_cycle_finder_finds_a_cycle_and_only_a_cycle():
    assert cycles({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == [{"a", "b", "c"}]
    assert cycles({("a", "b"), ("b", "c")}) == []
