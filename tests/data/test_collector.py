"""The collector is paused or told to skip older objects only for the block, whatever happens."""

from __future__ import annotations

import gc
import json
import weakref
from pathlib import Path

import pytest

from corridors.data.batches import open_lines
from corridors.data.collector import collector_paused, older_objects_frozen


class _Node:
    other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    """Make two objects that only refer to each other; return a weak reference to one."""
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_collector_paused__resumes_after_an_error_and_collects_what_was_left() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        left = _cycle()
        raise RuntimeError("stop")
    assert gc.isenabled()
    gc.collect()
    assert left() is None


def test_collector_paused__leaves_a_paused_collector_paused() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_older_objects_frozen__collects_new_cycles_and_unfreezes_after_an_error() -> None:
    older = _cycle()
    with pytest.raises(RuntimeError), older_objects_frozen():
        assert gc.get_freeze_count() > 0
        newer = _cycle()
        gc.collect()
        assert newer() is None  # made inside the block: collected as ever
        assert older() is not None  # frozen: left alone
        raise RuntimeError("stop")
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert older() is None


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_reading_geojson__no_collection_walks_the_parsed_document(
    tmp_path: Path, skip_invalid: bool
) -> None:
    """The document (six containers a feature) is freed before the collector wakes."""
    features = 5_000
    path = tmp_path / "lines.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"id": i, "name": f"road {i}"},
                        "geometry": {
                            "type": "LineString",
                            "coordinates": [[60 + i / 1e4, 30], [60.01 + i / 1e4, 30.01]],
                        },
                    }
                    for i in range(features)
                ],
            }
        )
    )
    source = open_lines(path, batch_size=2_000, skip_invalid=skip_invalid)
    young: list[int] = []

    def watch(phase: str, info: dict) -> None:
        if phase == "start":
            young.append(len(gc.get_objects(generation=0)))

    gc.collect()
    gc.callbacks.append(watch)
    try:
        batches = list(source)
    finally:
        gc.callbacks.remove(watch)
    assert sum(len(b.geometry) for b in batches) == features
    assert batches[0].segment_id[:2].tolist() == ["0", "1"]
    assert batches[-1].name[-1] == f"road {features - 1}"
    assert young and max(young) < 2 * features  # the document alone is 30,000 containers
