"""The package's shape: features import each other in one direction only, only the web and API
layers know who is logged in, and the tree stays readable.

An import cycle hidden by an import inside a function is still a cycle, so every import
statement counts, wherever it is written.
"""

import ast
from pathlib import Path

import donation_drive

PACKAGE = Path(donation_drive.__file__).parent
#: The web layer's modules: views, the organiser-page lookup, rate limits by account, sessions.
WEB_LAYER = ("views.py", "access.py", "core/ratelimits.py", "accounts/sessions.py")
#: What reads or sets the logged-in user.
LOGGED_IN_USER = ("current_user", "login_user", "logout_user")
#: Modules that may sit loose in donation_drive/ (everything else lives in a feature package or core/).
MOST_LOOSE_MODULES = 12


def module_files() -> dict[str, Path]:
    files = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue
        parts = ["donation_drive", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        files[".".join(parts)] = path
    return files


def imported_modules(name: str, path: Path, modules: set[str]) -> set[str]:
    """The package's modules that `name` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Imports for annotations only (models name each other so) never run when the app does.
    for_types_only = {id(inner) for node in ast.walk(tree) if _only_for_type_checking(node) for inner in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in for_types_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    found.add(f"{base}.{alias.name}")
                elif base in modules:
                    found.add(base)
    found.discard(name)
    return found


def _only_for_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_one_that_imports_it_back():
    files = module_files()
    graph = {name: imported_modules(name, path, set(files)) for name, path in files.items()}
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    """Guards the test above: a cycle through three modules is reported."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_at_most_a_dozen_modules_sit_loose_in_the_package():
    loose = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(loose) <= MOST_LOOSE_MODULES, loose


def test_only_the_web_layer_reads_the_logged_in_user():
    """Operations are told who acts (an `actor` argument), so the API can call them for a token's owner."""
    readers = sorted(
        str(path.relative_to(PACKAGE))
        for path in module_files().values()
        if any(name in path.read_text(encoding="utf-8") for name in LOGGED_IN_USER)
    )
    assert readers, "the check finds the views that do read it"
    assert [reader for reader in readers if not reader.endswith(WEB_LAYER)] == []
