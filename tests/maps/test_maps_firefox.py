"""The map pages in a second engine: Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi.

``tests/maps/firefox/check_pages.mjs`` opens every page of a built folder from file:// and
prints one JSON line per page; ``.ci/run`` installs firefox-esr and the Node packages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from corridors.data.atlas import CORRIDOR_IDS

pytestmark = pytest.mark.browser

FIREFOX = Path("/usr/bin/firefox-esr")
CHECKER = Path(__file__).parent / "firefox"
PAGES = ["index.html", *sorted(f"corridors/{c}.html" for c in CORRIDOR_IDS)]


def _missing() -> str | None:
    """What the Firefox check needs and this machine lacks, or None."""
    if not FIREFOX.exists():
        return f"{FIREFOX} is not installed (apt-get install firefox-esr)"
    if shutil.which("node") is None:
        return "node is not on the PATH (apt-get install nodejs npm)"
    if not (CHECKER / "node_modules" / "puppeteer-core").is_dir():
        return f"puppeteer-core is not installed (cd {CHECKER} && npm ci --no-audit --no-fund)"
    return None


@pytest.fixture(scope="module")
def firefox_report(built_maps: Path) -> dict[str, dict[str, Any]]:
    """Each built page as firefox-esr saw it, by its path under the output folder."""
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    done = subprocess.run(
        ["node", "check_pages.mjs", str(built_maps), str(FIREFOX)],
        cwd=CHECKER,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {line["page"]: line for line in lines}


def _segments_on(atlas: Any, page: str) -> int:
    if page == "index.html":
        return len(atlas.segments)
    return int((atlas.segments["corridor_id"] == Path(page).stem).sum())


def test_firefox__checks_every_page(firefox_report):
    assert sorted(firefox_report) == sorted(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_firefox__page_becomes_ready_without_errors(firefox_report, page):
    seen = firefox_report[page]
    assert seen["ready"] is True
    assert seen["console_errors"] == []
    assert seen["page_errors"] == []


@pytest.mark.parametrize("page", PAGES)
def test_firefox__draws_every_corridor_path(firefox_report, atlas, page):
    seen = firefox_report[page]
    expected = _segments_on(atlas, page)
    assert (seen["lines"], seen["hits"]) == (expected, expected)
