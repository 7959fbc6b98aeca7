"""Helpers for the map-layer browser tests: open a built page and wait until it has drawn."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def page_block(path: Path, name: str) -> Any:
    """Return the JSON data block `name` of a built map page."""
    text = path.read_text(encoding="utf-8")
    found = re.search(rf'<script type="application/json" id="cm-data-{name}">(.*?)</script>', text)
    assert found, f"{path.name} has no {name} block"
    return json.loads(found.group(1))


def open_drawn(context: Any, path: Path) -> tuple[Any, list[str]]:
    """Open `path` in a new tab of `context`; return the tab and the list its errors go to."""
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.on("console", lambda message: message.type == "error" and problems.append(message.text))
    tab.goto(path.as_uri())
    tab.wait_for_function("document.documentElement.dataset.cmReady === '1'")
    return tab, problems


@contextmanager
def drawn_tab(browser: Any, path: Path) -> Iterator[tuple[Any, list[str]]]:
    """Open `path` in a fresh 1400 × 900 browser context, closed on exit; yield tab and errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        yield open_drawn(context, path)
    finally:
        context.close()
