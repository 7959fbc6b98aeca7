"""The package's layout: imports run one way, with no cycle, and the checked contract bites."""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import networkx as nx

import corridors

ROOT = Path(__file__).parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
SUBPACKAGES = ["bilateral", "cli", "data", "maps", "measure", "network", "outputs"]


def _import_graph() -> nx.DiGraph:
    graph = grimp.build_graph("corridors")
    edges = nx.DiGraph()
    for module in graph.modules:
        edges.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    return edges


def test_layout__no_import_cycle_anywhere_in_the_package() -> None:
    graph = _import_graph()
    assert "corridors.measure.lengths" in graph
    assert list(nx.simple_cycles(graph)) == []


def test_layout__every_subpackage_says_what_it_holds_and_may_use() -> None:
    package = Path(corridors.__file__).parent
    for name in SUBPACKAGES:
        init = package / name / "__init__.py"
        text = init.read_text(encoding="utf-8")
        assert text.startswith('"""'), init
        if name != "cli":
            assert "May import:" in text, init
            assert "import " not in text.split('"""')[2], f"{init} re-exports; only corridors does"


def test_layout__the_layers_contract_names_every_subpackage() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    named = {part.strip() for layer in layers for part in layer.split("|")}
    assert {f"corridors.{name}" for name in SUBPACKAGES} <= named
    assert layers[0] == "corridors.cli" and layers[-1] == "corridors.errors"


def _lint(tmp_path: Path, edit: str | None) -> subprocess.CompletedProcess[str]:
    """Run lint-imports with the project's contract on a copy of the package, edited."""
    src = tmp_path / "src"
    shutil.copytree(Path(corridors.__file__).parent, src / "corridors")
    if edit is not None:
        module = src / "corridors" / "measure" / "zones.py"
        module.write_text(module.read_text(encoding="utf-8") + edit, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_layout__lint_imports_fails_when_measure_imports_the_maps(tmp_path: Path) -> None:
    clean = _lint(tmp_path / "clean", None)
    assert clean.returncode == 0, clean.stdout
    assert "Contracts: 3 kept, 0 broken." in clean.stdout
    wrong = _lint(tmp_path / "wrong", "\nfrom corridors.maps.pages import map_files  # noqa\n")
    assert wrong.returncode == 1
    assert "corridors.measure is not allowed to import corridors.maps" in wrong.stdout
    assert "corridors.measure.zones -> corridors.maps.pages" in wrong.stdout
