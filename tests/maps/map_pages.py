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
def drawn_tab(context: Any, path: Path) -> Iterator[tuple[Any, list[str]]]:
    """Open `path` in a new tab of `context` (the shared ``map_context``), closed on exit."""
    tab, problems = open_drawn(context, path)
    try:
        yield tab, problems
    finally:
        tab.close()


class Tabs:
    """Opens tabs in a shared browser context like a context would, and closes them all."""

    def __init__(self, context: Any) -> None:
        self.context = context
        self.tabs: list[Any] = []

    def new_page(self) -> Any:
        self.tabs.append(self.context.new_page())
        return self.tabs[-1]

    def close(self) -> None:
        for tab in self.tabs:
            tab.close()
