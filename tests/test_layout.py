"""The layout rules a newcomer relies on: no import cycle among the product's modules, imports
point one way (`bot` → `conversations` → `knowledge`), every package says what it holds, and
no file is longer than a reader takes in (400 lines)."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("bot", "conversations", "knowledge")
# a module imports its own layer or a lower one
LAYERS = MappingProxyType({"bot": 2, "conversations": 1, "knowledge": 0})
MAX_LINES = 400
# What each part of `bot` may import of `bot` (as its package docstring says).
BOT_PARTS: Mapping[str, frozenset[str]] = MappingProxyType({
    "bot.offline": frozenset(),
    "bot.storage": frozenset(),
    "bot.config": frozenset(),
    "bot.logs": frozenset(),
    "bot.features": frozenset(),
    "bot.updates": frozenset({"bot.storage"}),
    "bot.sending": frozenset({"bot.config", "bot.storage"}),
    "bot.app": frozenset({"bot.config", "bot.features", "bot.sending", "bot.storage",
                          "bot.updates"}),
    "bot.transports": frozenset({"bot.app", "bot.config", "bot.logs", "bot.offline",
                                 "bot.sending", "bot.updates"}),
    "bot.cli": frozenset({"bot.config", "bot.logs", "bot.sending", "bot.storage",
                          "bot.transports"}),
})  # fmt: skip


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def product_modules() -> dict[str, Path]:
    return {module_name(p): p for top in PRODUCT for p in sorted((ROOT / top).rglob("*.py"))}


def imported(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """Every product module this one imports, wherever the import statement is (inside a
    function or under TYPE_CHECKING too: a cycle there is a cycle a reader must follow)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def import_graph() -> dict[str, set[str]]:
    known = product_modules()
    return {name: set(imported(name, path, known)) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_no_two_product_modules_import_each_other() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle_through_three_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_imports_point_one_way() -> None:
    wrong = [
        f"{name} imports {target}"
        for name, targets in import_graph().items()
        for target in targets
        if LAYERS[target.split(".")[0]] > LAYERS[name.split(".")[0]]
    ]
    assert wrong == []


def part_of(module: str) -> str | None:
    return next((part for part in BOT_PARTS if module == part or module.startswith(part + ".")),
                None)  # fmt: skip


def test_each_part_of_bot_imports_only_what_its_docstring_allows() -> None:
    wrong = []
    for name, targets in import_graph().items():
        part = part_of(name)
        if part is None:
            continue
        for target in targets:
            other = part_of(target)
            if other is not None and other != part and other not in BOT_PARTS[part]:
                wrong.append(f"{name} imports {target}")
    assert sorted(wrong) == []
    top = {name for name in import_graph() if name.startswith("bot.") and part_of(name) is None}
    assert top == {"bot.__main__"}  # every other module of bot belongs to a part above


def test_every_package_says_what_it_holds() -> None:
    silent = [
        str(init.relative_to(ROOT))
        for top in PRODUCT
        for init in sorted((ROOT / top).rglob("__init__.py"))
        if not ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    ]
    assert silent == []


@pytest.mark.parametrize("folder", [*PRODUCT, "tests", "bench"])
def test_no_file_over_400_lines(folder: str) -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
