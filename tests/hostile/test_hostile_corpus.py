"""The hostile-input corpus in tests/fixtures/hostile/ through the Python API: one clear error each."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_cases import (
    ACCEPTED,
    CASES,
    GENERATED,
    HOSTILE,
    geodata_with,
    hostile_bytes,
    snapshot,
    target,
)

from corridors.bilateral.tables import load_bilateral
from corridors.data.atlas import (
    load_atlas,
    load_catalog,
    read_boundaries,
    read_lines,
    read_places,
    read_sources,
)
from corridors.errors import CorridorDataError
from corridors.measure.lengths import chainage
from corridors.measure.stated import stated_vs_measured
from corridors.network.graph import load_network


def _readers(name: str) -> dict[str, Callable[[Path], object]]:
    """The Python functions that read the hostile file: on its own, and with its folder."""
    kind = name.split("__")[0]
    alone: dict[str, Callable[[Path], object]] = {
        "corridor": lambda folder: read_lines(folder / target(name)),
        "places": lambda folder: read_places(folder / "places.geojson"),
        "boundaries": lambda folder: read_boundaries(folder / "boundaries.geojson"),
        "catalog": lambda folder: load_catalog(folder / "catalog.json"),
        "sources": lambda folder: read_sources(folder / "sources.csv"),
    }
    if kind == "links":  # links are read with the atlas they join
        return {"load_network": lambda folder: load_network(load_atlas(folder))}
    if kind not in alone:
        return {"load_bilateral": load_bilateral}
    return {"alone": alone[kind], "load_atlas": load_atlas}


API_RUNS = [(name, reader) for name in sorted(CASES) for reader in _readers(name)]


def test_corpus__every_file_has_a_case() -> None:
    on_disk = {p.name for p in HOSTILE.iterdir()}
    assert on_disk == (set(CASES) - set(GENERATED)) | set(ACCEPTED)


def test_corpus__documented_in_readme() -> None:
    readme = (HOSTILE.parent / "README.md").read_text(encoding="utf-8")
    missing = [name for name in [*CASES, *ACCEPTED] if f"`{name}`" not in readme]
    assert missing == []


@pytest.mark.parametrize(("name", "reader"), API_RUNS)
def test_api__hostile_input_raises_one_line_data_error(
    name: str, reader: str, tmp_path: Path
) -> None:
    folder = geodata_with(name, tmp_path / "geodata")
    before = snapshot(folder)
    read = _readers(name)[reader]
    message, count = CASES[name]
    with pytest.raises(CorridorDataError) as caught:
        read(folder)
    problems = caught.value.problems
    assert len(problems) == count, problems
    assert message in problems[0]
    assert all("\n" not in p and Path(target(name)).name in p for p in problems)
    assert snapshot(folder) == before


def test_read_lines__self_crossing_line_is_a_route(tmp_path: Path) -> None:
    # A route may cross itself (a loop line, a switchback); only polygon rings may not.
    folder = geodata_with("corridor__self_crossing_line.geojson", tmp_path / "geodata")
    lines = read_lines(folder / "corridors" / "uap_railway.geojson")
    assert not lines.geometry.iloc[2].is_simple
    assert lines.geometry.iloc[2].is_valid
    assert "uap_naibabad_kharlachi" in set(load_atlas(folder).segments["segment_id"])


def test_load_bilateral__byte_order_mark_is_accepted(tmp_path: Path) -> None:
    # Spreadsheet programs write a BOM into CSV; GeoJSON must not have one (RFC 7946).
    folder = geodata_with("trade__byte_order_mark.csv", tmp_path / "geodata")
    assert load_bilateral(folder).trade.equals(load_bilateral().trade)


def test_measure__multilinestring_segment_is_measured_part_by_part(tmp_path: Path) -> None:
    # A segment in two parts that share a vertex: chainage once failed on MultiLineStrings.
    name = "corridor__multilinestring.geojson"
    multi = load_atlas(geodata_with(name, tmp_path / "multi"))
    single_doc = json.loads(hostile_bytes(name))
    geometry = single_doc["features"][2]["geometry"]
    first, second = geometry["coordinates"]
    single_doc["features"][2]["geometry"] = {
        "type": "LineString",
        "coordinates": first + second[1:],
    }
    folder = geodata_with(name, tmp_path / "single")
    (folder / target(name)).write_text(json.dumps(single_doc), encoding="utf-8")
    single = load_atlas(folder)
    key = ["segment_id", "place_id"]
    assert chainage(multi).set_index(key).round(6).equals(chainage(single).set_index(key).round(6))
    assert (
        stated_vs_measured(multi)["measured_km"]
        .round(6)
        .equals(stated_vs_measured(single)["measured_km"].round(6))
    )
