"""The source tree reads as the pipeline (docs/architecture.md), and stays that way.

Each package is a stage; a stage imports only stages below it, so the pure core
(evaluate, ruleset, engine) never reaches up into a terminal, a file format or a
command. Imports are read from the source with ``ast``; names imported only for
type checking (``if TYPE_CHECKING:``) are not dependencies at run time and are
left out, as are the package's lazy ``__getattr__`` re-exports.
"""

from __future__ import annotations

import pytest
from imports import imports_of, layer_of, modules, stage

LIMIT = 450


def graph() -> dict[str, set[str]]:
    """Each module's run-time imports of other kneeguide modules. Importing a submodule
    runs the bare package's ``__init__`` first, which imports nothing at run time, so
    that edge is left out; asking the package for a name is not (see below)."""
    known = modules()
    return {
        name: {m for m in imports_of(name)[0] if m in known and m not in (name, "kneeguide")}
        for name in known
    }


def test_every_stage_has_a_place_in_the_layers() -> None:
    for module in modules():
        if stage(module):
            layer_of(stage(module))


def test_a_stage_never_imports_a_stage_above_it_or_beside_it() -> None:
    wrong = []
    for module, imported in graph().items():
        if not stage(module):
            continue
        if imports_of(module)[1].get("kneeguide"):  # the package's lazy re-exports reach the API
            wrong.append(f"{module} imports a name from the package itself; import it from its module")
        for target in imported:
            here, there = stage(module), stage(target)
            if here != there and layer_of(there) <= layer_of(here):
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
