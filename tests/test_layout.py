"""The source tree reads as the pipeline (docs/architecture.md), and stays that way.

Each package is a stage; a stage imports only stages below it, so the pure core
(evaluate, ruleset, engine) never reaches up into a terminal, a file format or a
command. Imports are read from the source with ``ast``; names imported only for
type checking (``if TYPE_CHECKING:``) are not dependencies at run time and are
left out, as are the package's lazy ``__getattr__`` re-exports.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "kneeguide"

#: Stages from the top down. A module may import from its own stage and any stage
#: below it, never above. Stages on one line are side by side and do not import
#: each other.
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
    {"ids", "errors", "suggest", "version"},
]
#: ``kneeguide/__init__.py`` re-exports the library API lazily (``__getattr__``).
PACKAGE_INIT = "__init__"
LIMIT = 450


def stage(module: str) -> str:
    """``kneeguide.engine.words`` → ``engine``; ``kneeguide.ids`` → ``ids``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else PACKAGE_INIT


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts.pop()
        found[".".join(parts)] = path
    return found


def runtime_imports(path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The kneeguide modules ``path`` imports when it runs (not for type checking)."""

    class Visitor(ast.NodeVisitor):
        def __init__(self) -> None:
            self.found: list[str] = []

        def visit_If(self, node: ast.If) -> None:
            if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
                for child in node.orelse:
                    self.visit(child)
                return
            self.generic_visit(node)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.module and node.module.split(".")[0] == "kneeguide":
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    self.found.append(sub if sub in known else node.module)

        def visit_Import(self, node: ast.Import) -> None:
            self.found += [a.name for a in node.names if a.name.split(".")[0] == "kneeguide"]

    visitor = Visitor()
    visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
    yield from visitor.found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {
        name: {m for m in runtime_imports(path, known) if m in known and m != name}
        for name, path in known.items()
    }


def layer_of(name: str) -> int:
    for depth, names in enumerate(LAYERS):
        if name in names:
            return depth
    raise AssertionError(f"stage '{name}' is in no layer of tests/test_layout.py; place it there")


def test_every_stage_has_a_place_in_the_layers() -> None:
    for module in modules():
        if stage(module) != PACKAGE_INIT:
            layer_of(stage(module))


def test_a_stage_never_imports_a_stage_above_it_or_beside_it() -> None:
    wrong = []
    for module, imported in graph().items():
        if stage(module) == PACKAGE_INIT:
            continue
        for target in imported:
            here, there = stage(module), stage(target)
            if there == PACKAGE_INIT:
                wrong.append(f"{module} imports the package itself; import from the module that defines it")
            elif here != there and layer_of(there) <= layer_of(here):
                wrong.append(f"{module} ({here}) imports {target} ({there})")
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_itself_in_a_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1 visiting, 2 done
    cycles: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    assert not cycles, "\n".join(cycles)


@pytest.mark.parametrize("module", sorted(modules()))
def test_modules_stay_small(module: str) -> None:
    lines = modules()[module].read_text(encoding="utf-8").count("\n")
    assert lines <= LIMIT, f"{module} has {lines} lines; split it by what it does (limit {LIMIT})"


def test_most_modules_are_under_200_lines() -> None:
    sizes = [p.read_text(encoding="utf-8").count("\n") for p in modules().values()]
    assert sum(size < 200 for size in sizes) >= 0.8 * len(sizes)
