"""The house rule (README, "For developers"), checked over the source as written.

- Only `kapprep.store` and the features' `repo` modules hold SQL or touch a connection; `Store`
  offers the others no raw SQL (its `fetch` and `transaction` are for the repo modules).
- No import loop, counting the imports inside functions (a lazy import is still a dependency;
  only imports for the type checker, under `if TYPE_CHECKING:`, are left out).
- No module over 550 lines: past that it is time to cut it along its seams.
- Only `kapprep.settings` reads and writes the settings (by name, typed, with a default).
- Only the timeline assembles a timeline (also `test_one_timeline.py`).

Each check reads the files with `ast` (nothing is imported), so it also covers modules that are
hard to import in a test, and names the file and line that breaks the rule.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "kapprep"
MAX_LINES = 550

# A string that starts like a statement of SQL (the keywords kapprep's SQL starts with).
_SQL = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|PRAGMA|WITH|REPLACE|BEGIN|VACUUM)\s"
)
# What a connection or the store's own SQL door is called.
_SQL_DOORS = {"execute", "executemany", "executescript", "fetch", "transaction", "snapshot", "conn"}


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def _may_hold_sql(name: str) -> bool:
    return name == "kapprep.store" or name.startswith("kapprep.store.") or name.endswith(".repo")


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(REPO_ROOT)}:{getattr(node, 'lineno', 0)}"


def test_only_the_store_and_the_repo_modules_hold_sql() -> None:
    found = []
    for name, path in _modules():
        if _may_hold_sql(name):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if _SQL.match(node.value):
                    found.append(f"{_where(path, node)}: SQL {node.value.strip()[:40]!r}")
            elif isinstance(node, ast.Attribute) and node.attr in _SQL_DOORS:
                found.append(f"{_where(path, node)}: .{node.attr}")
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names]
                if (isinstance(node, ast.Import) and "sqlite3" in names) or (
                    isinstance(node, ast.ImportFrom) and node.module == "sqlite3"
                ):
                    found.append(f"{_where(path, node)}: imports sqlite3")
    assert found == [], "SQL outside kapprep.store and the repo modules:\n" + "\n".join(found)


def test_only_kapprep_settings_reads_and_writes_settings() -> None:
    """Every setting has a name, a type and a default in `kapprep.settings`; nobody else reads
    the store's settings by a bare key."""
    found = []
    for name, path in _modules():
        if _may_hold_sql(name) or name == "kapprep.settings":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in _SETTING_DOORS:
                found.append(f"{_where(path, node)}: .{node.attr}")
    assert found == [], "settings read or written by key outside kapprep.settings:\n" + "\n".join(
        found
    )


_SETTING_DOORS = {"get_setting", "set_setting", "set_settings", "settings"}


def _resolve(module: str, node: ast.ImportFrom, known: set[str]) -> Iterator[str]:
    if node.level:
        base = module.split(".")
        base = base[: len(base) - node.level + (1 if _is_package(module) else 0)]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    for alias in node.names:
        sub = f"{target}.{alias.name}"
        yield sub if sub in known else target


_PACKAGES: set[str] = set()


def _is_package(module: str) -> bool:
    return module in _PACKAGES


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node but those under `if TYPE_CHECKING:` (imports for the type checker only, which
    never run)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in _runtime_nodes_of(child))
            continue
        yield from _runtime_nodes_of(node)


def _runtime_nodes_of(node: ast.AST) -> Iterator[ast.AST]:
    yield node
    yield from _runtime_nodes(node)


def _import_graph() -> dict[str, set[str]]:
    modules = dict(_modules())
    _PACKAGES.update(n for n, p in modules.items() if p.name == "__init__.py")
    known = set(modules)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _runtime_nodes(tree):  # every import, at the top or inside a function
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = list(_resolve(name, node, known))
            for target in targets:
                if target in known and target != name:
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def test_no_import_loop_counting_imports_inside_functions() -> None:
    graph = _import_graph()
    loops = _cycles(graph)
    assert loops == [], "modules that import each other (directly or round a loop):\n" + "\n".join(
        " <-> ".join(group) for group in loops
    )


def test_the_loop_finder_finds_a_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_module_is_over_550_lines() -> None:
    long = [
        f"{path.relative_to(REPO_ROOT)}: {n} lines"
        for _, path in _modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert long == [], f"cut these along their seams (at most {MAX_LINES} lines):\n" + "\n".join(
        long
    )


def test_the_sql_check_sees_sql() -> None:
    assert _SQL.match("SELECT * FROM plan_people")
    assert _SQL.match("  INSERT INTO x VALUES (1)")
    assert not _SQL.match("Select a session first.")
    assert not _SQL.match("With the driver: Sam")
