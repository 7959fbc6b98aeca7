"""The existing links file (geodata/network_links.geojson): sourced, checked on load."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from corridors.data.atlas import load_atlas, read_corridor_file
from corridors.errors import CorridorDataError
from corridors.network.graph import LINKS_FILE, load_network

BAD_LINKS = Path(__file__).parents[1] / "fixtures" / "network" / "bad_links.geojson"


def test_links_file__every_link_is_sourced_and_operating() -> None:
    atlas = load_atlas()
    links = read_corridor_file(atlas.data_dir / LINKS_FILE)
    assert sorted(links["segment_id"]) == [
        "road_kabul_peshawar", "road_karachi_gwadar_n10", "road_karachi_peshawar_n55",
        "road_mazar_kabul", "road_termez_mazar",
    ]  # fmt: skip
    assert set(links["mode"]) == {"road"}
    assert set(links["status"]) == {"operating"}
    assert all(key in atlas.sources for keys in links["sources"] for key in keys)


def test_load_network__reports_every_bad_link_one_line_each(tmp_path: Path) -> None:
    shutil.copy(BAD_LINKS, tmp_path / LINKS_FILE)
    atlas = dataclasses.replace(load_atlas(), data_dir=tmp_path)
    with pytest.raises(CorridorDataError) as caught:
        load_network(atlas)
    where = f"{tmp_path / LINKS_FILE}: link"
    assert caught.value.problems == [
        f"{where} 'road_termez_nowhere': waypoints: 'nowhere' is not a place id in places.geojson "
        "— add the place or fix the reference.",
        f"{where} 'road_termez_nowhere': sources: 'NO-SUCH-SOURCE' is not in sources.csv "
        "— add the reference.",
        f"{where} 'uap_termez_hairatan': segment_id: already used by a corridor segment "
        "— give the link its own id.",
        f"{where} 'uap_termez_hairatan': status: expected operating or completed (the file lists "
        "existing links), got 'planned' — put planned links in a corridor file.",
    ]


def test_load_network__without_a_links_file_has_only_corridors(tmp_path: Path) -> None:
    atlas = dataclasses.replace(load_atlas(), data_dir=tmp_path)
    graph = load_network(atlas)
    assert {d["corridor_id"] for _, _, d in graph.edges(data=True)} == set(atlas.catalog)
