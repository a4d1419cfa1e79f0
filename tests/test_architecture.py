"""The architecture holds: no cycles between subpackages, lazy imports only where documented.

The layer contract itself is .importlinter, checked by ``lint-imports`` in
.ci/run; these tests guard what a contract file cannot say as directly.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import networkx as nx

import kommunal_digital

PACKAGE = Path(kommunal_digital.__file__).parent


def _subpackage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "kommunal_digital" and len(parts) > 1 else None


def test_no_import_cycle_between_subpackages() -> None:
    graph = grimp.build_graph("kommunal_digital", cache_dir=None)
    edges: nx.DiGraph[str] = nx.DiGraph()
    for module in graph.modules:
        source = _subpackage(module)
        for imported in graph.find_modules_directly_imported_by(module):
            target = _subpackage(imported)
            if source and target and source != target:
                edges.add_edge(source, target)
    cycles = sorted(sorted(cycle) for cycle in nx.simple_cycles(edges))
    assert cycles == []


def _nested_own_imports(tree: ast.Module) -> list[ast.ImportFrom | ast.Import]:
    top = set(map(id, tree.body))
    type_checking = {
        id(node)
        for block in tree.body
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    found: list[ast.ImportFrom | ast.Import] = []
    for node in ast.walk(tree):
        if id(node) in top or id(node) in type_checking:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kommunal_digital"):
            found.append(node)
        if isinstance(node, ast.Import) and any(
            alias.name.startswith("kommunal_digital") for alias in node.names
        ):
            found.append(node)
    return found


def test_function_level_imports_of_our_modules_name_the_heavy_dependency() -> None:
    undocumented = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in _nested_own_imports(ast.parse(source)):
            if "# lazy:" not in lines[node.lineno - 1]:
                undocumented.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert undocumented == []


def test_only_the_installation_builds_plugin_managers() -> None:
    def callers(text: str) -> list[str]:
        return sorted(
            str(path.relative_to(PACKAGE))
            for path in PACKAGE.rglob("*.py")
            if text in path.read_text(encoding="utf-8")
        )

    assert callers("pluggy.PluginManager(") == ["plugins/manager.py"]
    assert callers("load_plugins(") == ["plugins/installation.py", "plugins/manager.py"]
    assert callers("make_plugin_manager(") == ["plugins/manager.py"]


def test_the_default_pack_is_named_only_by_the_builtin_plugin_and_the_demo() -> None:
    named = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if any(
            isinstance(node, ast.Constant) and node.value == "rlp"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    )
    assert named == ["demo/__init__.py", "plugins/builtin.py"]
