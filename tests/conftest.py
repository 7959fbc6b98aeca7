"""Shared fixtures: a real headless Chromium, and the map pages built once per session."""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corridors.data.atlas import Atlas, load_atlas
from corridors.data.paths import default_data_dir
from corridors.maps.facts import Measures, measure_atlas
from corridors.maps.pages import map_files

CHROMIUM = Path("/usr/bin/chromium")

#: Strings that must reach the page as text and run nothing, at build time or in the browser.
INJECTIONS = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "${alert(1)}",
    "`${window.__pwned = 1}`",
    "{{ 7*7 }}",
    "{# unclosed comment",
    "{% if true %}x{% endif %}",
    "{{ lipsum.__globals__.os.popen('touch PWNED').read() }}",
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned = 1</script>",
    "\u2028line\u2029separators & <!-- -->",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by playwright; skipped when absent, except on CI."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def map_context(browser: Any) -> Iterator[Any]:
    """One 1400 × 900 browser context for the map tests, which open their pages as tabs in it."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    yield context
    context.close()


def write_pages(atlas: Atlas, measures: Measures, out: Path) -> Path:
    """Write the map pages of `atlas` under `out`; return `out`."""
    for relative, data in map_files(atlas, measures):
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return out


@pytest.fixture(scope="session")
def atlas() -> Atlas:
    """The shipped atlas."""
    return load_atlas()


@pytest.fixture(scope="session")
def measures(atlas: Atlas) -> Measures:
    """Measurements of the shipped atlas."""
    return measure_atlas(atlas)


@pytest.fixture(scope="session")
def built_maps(atlas: Atlas, measures: Measures, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The map pages of the shipped atlas, built once."""
    return write_pages(atlas, measures, tmp_path_factory.mktemp("maps"))


def _hostile_copy(folder: Path) -> dict[str, Any]:
    """Put the injection strings into corridor, segment, place names and sources in `folder`."""
    catalog_path = folder / "catalog.json"
    catalog = json.loads(catalog_path.read_text(encoding="utf-8"))
    corridor_names = {}
    for number, corridor in enumerate(catalog["corridors"]):
        corridor["name"] = INJECTIONS[number % len(INJECTIONS)]
        corridor_names[corridor["id"]] = corridor["name"]
    catalog_path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")

    places_path = folder / "places.geojson"
    places = json.loads(places_path.read_text(encoding="utf-8"))
    place_names = {}
    for number, feature in enumerate(places["features"]):
        feature["properties"]["name"] = f"{INJECTIONS[number % len(INJECTIONS)]} #{number}"
        place_names[feature["properties"]["id"]] = feature["properties"]["name"]
    places_path.write_text(json.dumps(places, ensure_ascii=False), encoding="utf-8")

    segment_names = {}
    for path in sorted((folder / "corridors").glob("*.geojson")):
        collection = json.loads(path.read_text(encoding="utf-8"))
        for number, feature in enumerate(collection["features"]):
            name = f"{INJECTIONS[(number + 3) % len(INJECTIONS)]} {path.stem} {number}"
            feature["properties"]["name"] = name
            segment_names[feature["properties"]["segment_id"]] = name
        path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")

    sources_path = folder / "sources.csv"
    with open(sources_path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    references = {}
    for number, row in enumerate(rows):
        row["reference"] = INJECTIONS[number % len(INJECTIONS)]
        references[row["key"]] = row["reference"]
    with open(sources_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields or [])
        writer.writeheader()
        writer.writerows(rows)
    return {
        "corridors": corridor_names,
        "places": place_names,
        "segments": segment_names,
        "sources": references,
    }


@pytest.fixture(scope="session")
def hostile_maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """
    Map pages built from a copy of geodata whose names and sources are injection strings.

    The build runs in an empty working folder, so a command smuggled through a
    template (``touch PWNED``) would leave a file there.
    """
    data = tmp_path_factory.mktemp("hostile") / "geodata"
    shutil.copytree(default_data_dir(), data)
    names = _hostile_copy(data)
    workdir = tmp_path_factory.mktemp("hostile_cwd")
    previous = Path.cwd()
    os.chdir(workdir)
    try:
        atlas = load_atlas(data)
        out = write_pages(atlas, measure_atlas(atlas), tmp_path_factory.mktemp("hostile_maps"))
    finally:
        os.chdir(previous)
    return {"out": out, "workdir": workdir, "atlas": atlas, **names}
