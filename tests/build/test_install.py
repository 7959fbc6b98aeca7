"""The tool as a user installs it: a wheel in a fresh virtualenv, run from an unrelated folder."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).parents[2]
NOTEBOOK = ROOT / "notebooks" / "corridor_analysis.ipynb"


def _run(args: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, check=False, **kwargs
    )


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """
    Build the wheel, install it with no dependencies into a new virtualenv.

    The dependencies are the ones this suite already runs with: the new venv sees this
    venv's site-packages through a ``.pth`` line (no registry, no network), while the
    package itself comes only from the wheel (this venv's editable finder is not loaded).
    """
    base = tmp_path_factory.mktemp("install")
    source = base / "source"  # a copy, so that building leaves nothing in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("src", "geodata"):
        shutil.copytree(ROOT / name, source / name, ignore=skip)
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(base / "dist"), str(source)], cwd=base,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    wheel = next((base / "dist").glob("corridors-*.whl"))
    env = base / "venv"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], base
        ).stdout.strip()
    )
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    pip = _run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)], base
    )
    assert pip.returncode == 0, pip.stderr
    return {"wheel": wheel, "bin": env / "bin", "python": python, "site": site}


def test_install__wheel_carries_the_shipped_data(installed: dict[str, Path]) -> None:
    package = installed["site"] / "corridors"
    assert (package / "geodata" / "catalog.json").is_file()
    assert (package / "geodata" / "schema" / "segment.schema.json").is_file()
    assert len(list((package / "geodata" / "corridors").glob("*.geojson"))) == 7
    assert (package / "maps" / "static" / "core.js").is_file()
    where = _run([str(installed["python"]), "-c", "import corridors; print(corridors.__file__)"],
                 installed["site"].parent)  # fmt: skip
    assert Path(where.stdout.strip()).parent == package


def test_install__commands_run_from_any_folder(installed: dict[str, Path], tmp_path: Path) -> None:
    corridors = str(installed["bin"] / "corridors")
    before = _snapshot(installed["site"])
    validate = _run([corridors, "validate"], tmp_path)
    assert (validate.returncode, validate.stderr) == (0, "")
    listed = _run([corridors, "list", "--format", "csv"], tmp_path)
    assert listed.returncode == 0 and listed.stdout.count("\n") == 8
    lengths = _run([corridors, "lengths", "--format", "json"], tmp_path)
    km = {r["corridor_id"]: r["length_km"] for r in json.loads(lengths.stdout)}
    assert round(km["uap_railway"]) == 563
    built = _run([corridors, "build"], tmp_path)
    assert built.returncode == 0, built.stderr
    assert f"to {tmp_path / 'output'}" in built.stdout
    assert (tmp_path / "output" / "index.html").is_file()
    assert len(list((tmp_path / "output" / "corridors").glob("*.html"))) == 7
    assert _snapshot(installed["site"]) == before  # nothing written inside the package


_GUARD = """
import sys, corridors, pytest_socket
pytest_socket.disable_socket(allow_unix_socket=True)
print(sys.executable, corridors.__file__)
"""


def test_install__notebook_runs_against_the_installed_wheel(
    installed: dict[str, Path], tmp_path: Path
) -> None:
    kernels = tmp_path / "kernels" / "wheel"
    kernels.mkdir(parents=True)
    spec = {"argv": [str(installed["python"]), "-m", "ipykernel_launcher", "-f",
                     "{connection_file}"], "display_name": "wheel", "language": "python"}  # fmt: skip
    (kernels / "kernel.json").write_text(json.dumps(spec))
    specs = KernelSpecManager(kernel_dirs=[str(kernels.parent)])
    manager = KernelManager(
        kernel_name="wheel", kernel_spec_manager=specs, transport="ipc",
        ip=str(tmp_path / "kernel"),
    )  # fmt: skip
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(_GUARD))
    work = tmp_path / "work"
    work.mkdir()
    NotebookClient(notebook, km=manager, timeout=300, resources={"metadata": {"path": str(work)}}).execute(cleanup_kc=True)  # fmt: skip
    executable, module = notebook.cells[0].outputs[0]["text"].split()
    assert Path(executable) == installed["python"]
    assert Path(module).is_relative_to(installed["site"])
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
