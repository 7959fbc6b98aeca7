"""The analysis notebook: committed without outputs, and it runs top to bottom offline."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).parents[2] / "notebooks" / "corridor_analysis.ipynb"

# Run first in the kernel, not saved: record the interpreter, then block every
# socket but Unix ones, as pytest-socket does here. The kernel talks to this
# process over Unix sockets (transport "ipc"), so no TCP port is opened at all.
_GUARD = """
import sys
import pytest_socket
pytest_socket.disable_socket(allow_unix_socket=True)
print(sys.executable)
"""


def test_notebook__committed_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    dirty = [i for i, cell in enumerate(code) if cell.outputs or cell.execution_count is not None]
    assert dirty == [], f"code cells {dirty} hold outputs: clear them before committing"


def test_notebook__runs_offline_with_the_venv_kernel(tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(_GUARD))
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(tmp_path / "kernel"))
    client = NotebookClient(
        notebook, km=manager, timeout=300, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(cleanup_kc=True)
    guard_output = notebook.cells[0].outputs[0]["text"].strip()
    assert Path(guard_output) == Path(sys.executable)
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]  # fmt: skip
    assert errors == []
    images = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]  # fmt: skip
    assert len(images) == 4  # atlas map, km per country, trade, milestones
    text = "".join(o.get("text", "") for c in notebook.cells for o in c.get("outputs", []))
    assert "7 corridors, 38 segments" in text
    assert "published figures are flagged." in text
    html = [o["data"]["text/html"] for c in notebook.cells for o in c.get("outputs", [])
            if "text/html" in o.get("data", {}) and "<iframe srcdoc=" in o["data"]["text/html"]]  # fmt: skip
    assert len(html) == 1 and "&lt;script" in html[0]


@pytest.fixture(autouse=True)
def _no_tmp_leftovers() -> Iterator[None]:
    """Keep the checkout clean: the notebook must not write next to itself."""
    before = set(NOTEBOOK.parent.iterdir())
    yield
    assert set(NOTEBOOK.parent.iterdir()) == before
