"""What the kneeguide sources import, read from the source with ``ast``: the one reading
that the layout test (the stages and their order) and the cache test (the modules the
loader may import) share.

Imports under ``if TYPE_CHECKING:`` never run and are left out; a package's PEP 562
``__getattr__`` counts only where a module asks the package for a name it does not
define itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import kneeguide

#: The package as the tests import it (the source tree, or the installed copy in CI).
PACKAGE = Path(kneeguide.__file__).parent

#: Stages from the top down. A module may import from its own stage and any stage
#: below it, never above. Stages in one set are side by side and do not import each
#: other. ``kneeguide/__init__.py`` re-exports the library API lazily and is no stage.
LAYERS: list[set[str]] = [
    {"__main__"},
    {"cli"},
    {"interview", "api"},
    {"batch", "authoring"},
    {"render", "inputs"},
    {"engine"},
    {"ruleset"},
    {"evaluate"},
    {"files"},
    {"ids", "errors", "suggest", "version", "interrupts", "osfiles"},
]


def stage(module: str) -> str:
    """``kneeguide.engine.words`` → ``engine``; ``kneeguide.ids`` → ``ids``; the package → ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_of(name: str) -> int:
    """How deep stage ``name`` is in :data:`LAYERS` (0 at the top)."""
    for depth, names in enumerate(LAYERS):
        if name in names:
            return depth
    raise AssertionError(f"stage '{name}' is in no layer of tests/imports.py; place it there")


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def module_file(name: str) -> Path | None:
    """The source of module ``kneeguide...`` ``name`` (a package's ``__init__.py``), if it exists."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def _under_type_checking(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            return True
    return False


def imports_of(name: str) -> tuple[set[str], dict[str, set[str]], set[str], set[str]]:
    """What module ``name`` imports: (the kneeguide modules it imports anywhere, functions included;
    for each package it imports names from, those names; the modules its PEP 562
    ``__getattr__`` imports; the names it defines at its top level).

    Imports under ``if TYPE_CHECKING:`` never run and are left out.
    """
    path = module_file(name)
    assert path is not None, name
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    lazy = {
        node
        for top in tree.body
        if isinstance(top, ast.FunctionDef) and top.name == "__getattr__"
        for node in ast.walk(top)
    }
    modules: set[str] = set()
    names: dict[str, set[str]] = {}
    served: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or _under_type_checking(node, parents):
            continue
        found: set[str] = set()
        if isinstance(node, ast.Import):
            found = {alias.name for alias in node.names if alias.name.split(".")[0] == "kneeguide"}
        elif node.module and node.module.split(".")[0] == "kneeguide" and not node.level:
            found.add(node.module)
            for alias in node.names:
                if module_file(f"{node.module}.{alias.name}") is not None:
                    found.add(f"{node.module}.{alias.name}")
                else:
                    names.setdefault(node.module, set()).add(alias.name)
        (served if node in lazy else modules).update(found)
    defined: set[str] = set()
    for top in tree.body:
        if isinstance(top, (ast.FunctionDef, ast.ClassDef)):
            defined.add(top.name)
        elif isinstance(top, (ast.Assign, ast.AnnAssign)):
            targets = top.targets if isinstance(top, ast.Assign) else [top.target]
            defined |= {n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)}
        elif isinstance(top, (ast.Import, ast.ImportFrom)):
            defined |= {(alias.asname or alias.name).split(".")[0] for alias in top.names}
    return modules, names, served, defined


def import_closure(start: str) -> set[str]:
    """Every kneeguide module that importing ``start`` and running any of its code may import.

    Static: imports inside functions count, and importing ``a.b.c`` imports
    ``a`` and ``a.b``. A package's PEP 562 ``__getattr__`` counts only when a
    module imports from the package a name the package does not define itself.
    """
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for module in (".".join(parts[:i]) for i in range(1, len(parts) + 1)):
            if module in seen:
                continue
            seen.add(module)
            modules, names, _, _ = imports_of(module)
            todo += modules
            for package, wanted in names.items():
                _, _, served, defined = imports_of(package)
                if wanted - defined:
                    todo += served
    return seen
