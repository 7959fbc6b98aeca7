"""Injection: every free-text field of every input file holds an HTML, script or template payload;
the build runs no command and every generated page shows the payloads as text and runs nothing."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from corridors.bilateral.schema import TABLES
from corridors.build import build
from corridors.data.paths import default_data_dir

MARK = re.compile(r"⟦(\d+)⟧")

# Each payload is one of these, then a unique marker ⟦n⟧ so that the page can be searched for it.
TEMPLATES = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=1</script>",
    "`${window.__pwned=1}`",
    "${window.__pwned=1}",
    "{{ 7*7 }}",
    "{% raw %}",
    "{# unclosed comment",
    "{{ lipsum.__globals__.os.popen('touch PWNED').read() }}",
    "{{ cycler.__init__.__globals__.os.popen('touch {flag}').read() }}",
    '"><svg onload="window.__pwned=1">',
    "' onmouseover='window.__pwned=1' x='",
    "<!-- ]]> \u2028 & &amp; %s {0}",
]

# Text columns of the bilateral tables that other rules constrain.
CONSTRAINED_COLUMNS = {"from_country"}
# Free-text fields of the GeoJSON files and the catalog, from geodata/schema/*.schema.json.
SEGMENT_TEXT = {"name", "notes", "dossier_route"}
PLACE_TEXT = {"name", "description", "source_note"}
CATALOG_TEXT = {"name", "long_name", "status_note", "summary", "note", "unit", "event"}


class Payloads:
    """Hand out payloads with a running marker, and remember each one."""

    def __init__(self, flag: Path) -> None:
        self.flag = flag
        self.given: dict[int, str] = {}

    def next(self) -> str:
        n = len(self.given)
        template = TEMPLATES[n % len(TEMPLATES)].replace("{flag}", str(self.flag))
        self.given[n] = f"{template} ⟦{n}⟧"
        return self.given[n]


def _fill_features(path: Path, fields: set[str], payloads: Payloads) -> None:
    collection = json.loads(path.read_text(encoding="utf-8"))
    for feature in collection["features"]:
        properties = feature["properties"]
        for key in sorted(fields & set(properties)):
            properties[key] = payloads.next()
    path.write_text(json.dumps(collection, ensure_ascii=False, indent=1), encoding="utf-8")


def _fill_catalog(value: Any, payloads: Payloads) -> Any:
    if isinstance(value, dict):
        return {
            key: payloads.next() if key in CATALOG_TEXT else _fill_catalog(item, payloads)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_fill_catalog(item, payloads) for item in value]
    return value


def _rewrite_csv(path: Path, change: Callable[[list[str], list[dict[str, str]]], None]) -> None:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    change(fields, rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _fill_csv(path: Path, columns: set[str], payloads: Payloads) -> None:
    def fill(fields: list[str], rows: list[dict[str, str]]) -> None:
        for row in rows:
            for column in fields:
                if column in columns and row[column]:
                    row[column] = payloads.next()

    _rewrite_csv(path, fill)


def _script_urls(path: Path) -> None:
    """Make every other source URL a ``javascript:`` URL, which no page may turn into a link."""

    def poison(fields: list[str], rows: list[dict[str, str]]) -> None:
        for row in rows[::2]:
            row["url"] = "JavaScript:window.__pwned=1//" + row["url"]

    _rewrite_csv(path, poison)


def fill_every_text_field(data: Path, payloads: Payloads) -> None:
    """Put a payload into every free-text field of every file in the geodata copy `data`."""
    for path in sorted((data / "corridors").glob("*.geojson")):
        _fill_features(path, SEGMENT_TEXT, payloads)
    _fill_features(data / "network_links.geojson", SEGMENT_TEXT, payloads)
    _fill_features(data / "places.geojson", PLACE_TEXT, payloads)
    catalog = json.loads((data / "catalog.json").read_text(encoding="utf-8"))
    filled = _fill_catalog(catalog, payloads)
    filled["corridors"] = [
        {**c, "conflicts": [payloads.next() for _ in c.get("conflicts", [])]}
        for c in filled["corridors"]
    ]
    (data / "catalog.json").write_text(json.dumps(filled, ensure_ascii=False), encoding="utf-8")
    _fill_csv(data / "sources.csv", {"reference"}, payloads)
    _script_urls(data / "sources.csv")
    for name, table in TABLES.items():
        text = {c.name for c in table.columns if c.kind == "text"} - CONSTRAINED_COLUMNS
        _fill_csv(data / "bilateral" / name, text, payloads)


@pytest.fixture(scope="module")
def injected_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A full build of geodata with payloads everywhere, run in an empty working folder."""
    root = tmp_path_factory.mktemp("injection")
    data, out, workdir = root / "geodata", root / "output", root / "cwd"
    shutil.copytree(default_data_dir(), data)
    workdir.mkdir()
    payloads = Payloads(root / "PWNED_ABSOLUTE")
    fill_every_text_field(data, payloads)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(workdir)
        written = build(data, out)
    yield {"out": out, "root": root, "workdir": workdir, "payloads": payloads, "written": written}


def test_injection__payloads_fill_many_fields(injected_build: dict[str, Any]) -> None:
    assert len(injected_build["payloads"].given) > 500


def test_build__runs_no_command_from_the_data(injected_build: dict[str, Any]) -> None:
    assert list(injected_build["workdir"].iterdir()) == []
    assert sorted(p.name for p in injected_build["root"].iterdir()) == ["cwd", "geodata", "output"]
    assert not any("PWNED" in p.name for p in injected_build["out"].rglob("*"))


def test_build__no_page_holds_a_payload_as_markup(injected_build: dict[str, Any]) -> None:
    # A browser would parse these as markup had they been copied into the page unescaped.
    raw = ["</script><script>window.__pwned", '<img src=x onerror="', '"><svg onload="']
    found = {
        str(path.relative_to(injected_build["out"])): [r for r in raw if r in text]
        for path in sorted(injected_build["out"].rglob("*"))
        if path.suffix in {".html", ".svg"} and (text := path.read_text(encoding="utf-8"))
    }
    assert {page: hits for page, hits in found.items() if hits} == {}


_SHOWN_TEXT = """() => {
    const texts = [];
    const cm = window.CorridorsMap, map = cm && cm.ctx && cm.ctx.map;
    if (map) {
        map.eachLayer(layer => {
            for (const [get, open, close] of [
                ["getPopup", "openPopup", "closePopup"],
                ["getTooltip", "openTooltip", "closeTooltip"],
            ]) {
                if (!layer[get] || !layer[get]()) continue;
                const at = layer.getLatLng ? layer.getLatLng()
                    : layer.getBounds ? layer.getBounds().getCenter() : undefined;
                layer[open](at);
                const element = layer[get]().getElement();
                if (element) texts.push(element.textContent);
                layer[close]();
            }
        });
    }
    const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT, {
        acceptNode: node => ["SCRIPT", "STYLE"].includes(node.parentNode.nodeName)
            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    while (walker.nextNode()) texts.push(walker.currentNode.nodeValue);
    return texts.join("\\n");
}"""


def _pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.suffix in {".html", ".svg"})


@pytest.mark.browser
def test_pages__payloads_render_as_text_and_run_nothing(
    browser: Any, injected_build: dict[str, Any]
) -> None:
    out, given = injected_build["out"], injected_build["payloads"].given
    pages = _pages(out)
    assert any(p.name == "index.html" for p in pages) and len(pages) >= 9
    report: dict[str, Any] = {}
    shown: set[int] = set()
    for page in pages:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        tab = context.new_page()
        errors: list[str] = []
        dialogs: list[str] = []
        tab.on("console", lambda m, e=errors: m.type == "error" and e.append(m.text))
        tab.on("pageerror", lambda x, e=errors: e.append(str(x)))
        tab.on("dialog", lambda d, log=dialogs: (log.append(d.message), d.dismiss()))
        tab.goto(page.as_uri())
        if page.suffix == ".html" and tab.evaluate("!!window.CorridorsMap"):
            tab.wait_for_function("document.documentElement.dataset.cmReady === '1'")
        text = tab.evaluate(_SHOWN_TEXT) if page.suffix == ".html" else ""
        markers = {int(n) for n in MARK.findall(text)}
        mangled = sorted(n for n in markers if given[n] not in text)
        flags = tab.evaluate(
            "[window.__pwned, document.querySelectorAll('img[src=x], svg[onload]').length,"
            " document.querySelectorAll('a[href^=\"javascript:\" i]').length]"
        )
        report[str(page.relative_to(out))] = (errors, dialogs, flags, mangled, bool(markers))
        shown |= markers
        context.close()
    bad = {
        page: result
        for page, result in report.items()
        if result[:4] != ([], [], [None, 0, 0], []) or (page.endswith(".html") and not result[4])
    }
    assert bad == {}
    assert len(shown) >= 100
