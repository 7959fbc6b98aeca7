"""The array test of GeoJSON lines (``sound_lines``) agrees with the per-feature checks.

``parse_feature_collection`` skips the per-feature checks when ``sound_lines`` accepts every
feature at once, so the array test must never accept a feature the per-feature checks
reject, and the lines it builds must be those ``shapely.geometry.shape`` builds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from corridors.data.geojson import (
    MAX_TEXT_CHARS,
    _feature_problems,
    check_line_geometry,
    parse_feature_collection,
    parse_line_collection,
    sound_lines,
)
from corridors.data.lines import read_user_lines
from corridors.errors import CorridorDataError

PATH = Path("lines.geojson")

#: Values a position may hold, the hostile ones included.
_NUMBERS = st.one_of(
    st.floats(-200, 200, allow_nan=False),
    st.integers(-200, 200),
    st.sampled_from([0, -0.0, 180, -180, 90, -90, 180.0000001, 90.5, 10**400 // 10**390]),
)
_BAD_VALUES = st.sampled_from([True, None, "61.5", [61.5], float("nan"), float("inf")])
_POSITIONS = st.one_of(
    st.lists(_NUMBERS, min_size=2, max_size=2),
    st.lists(st.one_of(_NUMBERS, _BAD_VALUES), min_size=1, max_size=3),
    st.sampled_from([[], "61,30", None, {"lon": 61}]),
)
_LINES = st.one_of(
    st.lists(st.lists(st.floats(-30, 30), min_size=2, max_size=2), min_size=2, max_size=5),
    st.lists(_POSITIONS, min_size=0, max_size=4),
    st.just([[61.0, 30.0], [61.0, 30.0]]),  # no two distinct positions
    st.just([[179.5, 0.0], [-179.5, 0.0]]),  # across the antimeridian
)
_PROPERTIES = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["name", "segment_id", "km", "tags"]),
        st.one_of(
            st.text(max_size=5),
            st.integers(),
            st.booleans(),
            st.none(),
            st.lists(st.text(max_size=3), max_size=2),
            st.just({"nested": 1}),
            st.just([{"nested": 1}]),
            st.just("x" * (MAX_TEXT_CHARS + 1)),
        ),
    ),
    st.just(["not", "an", "object"]),
)


@st.composite
def features(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["LineString", "MultiLineString", "Point", None]))
    if kind == "MultiLineString":
        coordinates: Any = draw(st.lists(_LINES, min_size=0, max_size=3))
    elif kind == "Point":
        coordinates = [61.0, 30.0]
    else:
        coordinates = draw(_LINES)
    geometry: Any = {"type": kind, "coordinates": coordinates} if kind else None
    feature: Any = {"type": "Feature", "properties": draw(_PROPERTIES), "geometry": geometry}
    return draw(st.sampled_from([feature, feature, feature, {"type": "Point"}]))


@settings(max_examples=400, deadline=None)
@given(st.lists(features(), min_size=1, max_size=4))
def test_sound_lines__accepts_only_what_the_per_feature_checks_accept(
    collection: list[Any],
) -> None:
    lines = sound_lines(collection)
    problems = _feature_problems(PATH, collection, check_line_geometry)
    if lines is not None:
        assert problems == []
        expected = [shapely.geometry.shape(f["geometry"]) for f in collection]
        assert shapely.equals_exact(list(lines), expected, tolerance=0).all()
        assert [g.geom_type for g in lines] == [g.geom_type for g in expected]


@settings(max_examples=200, deadline=None)
@given(st.lists(features(), min_size=1, max_size=4))
def test_parse_feature_collection__same_problems_as_feature_by_feature(
    collection: list[Any],
) -> None:
    raw = json.dumps({"type": "FeatureCollection", "features": collection}).encode()
    if b"NaN" in raw or b"Infinity" in raw:
        return  # not JSON: the parser rejects the text before any feature is checked
    _, problems = parse_feature_collection(PATH, raw)
    assert problems == _feature_problems(PATH, collection, check_line_geometry)
    _, line_problems, lines = parse_line_collection(PATH, raw)
    assert line_problems == problems
    if problems:
        assert lines is None


def test_read_user_lines__properties_not_an_object_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "lines.geojson"
    feature = {
        "type": "Feature",
        "properties": ["not", "an", "object"],
        "geometry": {"type": "LineString", "coordinates": [[60, 30], [61, 30.5]]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(CorridorDataError) as error:
        read_user_lines(path)
    assert str(error.value) == f"{path}: feature 0: properties: expected an object, got list."


def test_sound_lines__builds_lines_and_multilines_in_feature_order() -> None:
    collection = [
        {
            "type": "Feature",
            "properties": {"name": "a"},
            "geometry": {"type": "LineString", "coordinates": [[60, 30], [61, 30.5]]},
        },
        {
            "type": "Feature",
            "properties": None,
            "geometry": {
                "type": "MultiLineString",
                "coordinates": [[[62, 31], [63, 31]], [[64, 32], [65, 32.5], [66, 33]]],
            },
        },
        {
            "type": "Feature",
            "properties": {"km": 3},
            "geometry": {"type": "LineString", "coordinates": [[70, 35], [71, 35]]},
        },
    ]
    lines = sound_lines(collection)
    assert [g.wkt for g in lines] == [
        "LINESTRING (60 30, 61 30.5)",
        "MULTILINESTRING ((62 31, 63 31), (64 32, 65 32.5, 66 33))",
        "LINESTRING (70 35, 71 35)",
    ]
