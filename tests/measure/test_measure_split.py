"""Per-country splits and border crossings, on boxes checkable by hand and on the shipped data."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely import LineString, MultiLineString

from corridors.data.atlas import load_atlas, read_boundaries
from corridors.errors import CorridorDataError
from corridors.measure import borders
from corridors.measure.lengths import country_split, crossings, geodesic_length_m

# Two 1°-wide countries side by side on the equator, and a disputed box north of them.
BOXES = gpd.GeoDataFrame(
    {"iso3": ["AAA", "BBB", "KAS"], "disputed": [False, False, True]},
    geometry=[shapely.box(0, -1, 1, 1), shapely.box(1, -1, 2, 1), shapely.box(0, 1, 2, 2)],
    crs=4326,
)
HALF_DEGREE_KM = 55.660  # half of the 111.319 km of one degree of the equator


def _lines(*geoms: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"corridor_id": "c", "segment_id": [f"s{i}" for i in range(len(geoms))]},
        geometry=list(geoms),
        crs=4326,
    )


def _parts(table: object) -> list[tuple[str, float]]:
    return [(r.iso3, round(r.length_km, 3)) for r in table.itertuples()]  # type: ignore[attr-defined]


def test_country_split__one_border_splits_into_two_parts_that_add_up() -> None:
    table = country_split(_lines(LineString([(0.5, 0), (1.5, 0)])), BOXES)
    assert _parts(table) == [("AAA", HALF_DEGREE_KM), ("BBB", HALF_DEGREE_KM)]
    assert table["length_km"].sum() * 1000 == pytest.approx(111_319.491, abs=1e-3)


def test_country_split__sea_and_disputed_are_reported_not_dropped() -> None:
    north = LineString([(0.5, 0), (0.5, 1.5)])  # AAA, then the disputed box
    out = LineString([(1.5, 0), (2.5, 0)])  # BBB, then no country
    table = country_split(_lines(north, out), BOXES)
    assert _parts(table) == [
        ("AAA", 110.574),
        ("disputed", 55.287),  # half a degree of latitude at 1.25°N
        ("BBB", HALF_DEGREE_KM),
        ("sea", HALF_DEGREE_KM),
    ]


def test_country_split__multilinestring_parts_in_two_countries() -> None:
    line = MultiLineString([[(0.2, 0), (0.7, 0)], [(1.2, 0), (1.7, 0)]])
    assert _parts(country_split(_lines(line), BOXES)) == [
        ("AAA", HALF_DEGREE_KM),
        ("BBB", HALF_DEGREE_KM),
    ]


def test_country_split__shipped_border_segment_adds_up_within_a_metre() -> None:
    atlas = load_atlas()
    border = atlas.segments[atlas.segments["segment_id"] == "tapi_border"]
    table = country_split(border, atlas.boundaries)
    assert list(table["iso3"]) == ["AFG", "PAK"]
    total_km = geodesic_length_m(border)[0] / 1000
    assert abs(table["length_km"].sum() - total_km) * 1000 < 1.0


def _grid_vs_direct(
    frame: gpd.GeoDataFrame, boundaries: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch
) -> tuple[object, float]:
    """Split on the grid and directly (GEOS per pair); return the grid's table, worst km apart."""
    on_grid = country_split(frame, boundaries, step_m=None)
    monkeypatch.setattr(borders, "GRID_ABOVE", 10**9)
    direct = country_split(frame, boundaries, step_m=None)
    monkeypatch.undo()
    key = ["segment_id", "iso3"]
    joined = on_grid[[*key, "length_km"]].merge(
        direct[[*key, "length_km"]], on=key, how="outer", suffixes=("_grid", "_direct")
    )
    joined = joined.fillna({"length_km_grid": 0.0, "length_km_direct": 0.0})
    return on_grid, float((joined["length_km_grid"] - joined["length_km_direct"]).abs().max())


def test_country_split__grid_and_direct_paths_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(11)
    start = np.column_stack([rng.uniform(66, 72, 3000), rng.uniform(30, 38, 3000)])
    end = start + rng.normal(0, 0.05, start.shape)
    frame = _lines(*shapely.linestrings(np.stack([start, end], axis=1)))
    boundaries = read_boundaries()
    on_grid, worst_km = _grid_vs_direct(frame, boundaries, monkeypatch)
    assert len(on_grid) > 3000  # some lines do cross borders
    assert worst_km < 1e-6


def _awkward_pairs(rng: np.random.Generator, n: int) -> np.ndarray:
    """Pairs where cutting on a 0.1° grid can go wrong: along its lines, through its corners."""
    start = np.round(np.column_stack([rng.uniform(66, 72, n), rng.uniform(30, 38, n)]), 1)
    step = rng.integers(1, 30, (n, 1)) / 10
    kinds = [
        np.column_stack([np.zeros(n), step[:, 0]]),  # north along a grid line
        np.column_stack([step[:, 0], np.zeros(n)]),  # east along a grid line
        np.column_stack([step[:, 0], step[:, 0]]),  # diagonal through the grid's corners
        rng.normal(0, 0.05, (n, 2)),  # from a grid corner to anywhere
        rng.normal(0, 1.0, (n, 2)),  # long, across many cells
    ]
    offset = np.array([[0.05, 0.05]])  # and the same, starting inside a cell
    pairs = [np.stack([start, start + k], axis=1) for k in kinds]
    pairs += [np.stack([start + offset, start + offset + k], axis=1) for k in kinds[2:]]
    return np.concatenate(pairs)


def test_country_split__grid_and_direct_paths_agree_on_awkward_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Cells wholly in one country are labelled by the grid alone; pairs along its lines
    # go to GEOS. Both must give what the direct cut gives, to the millimetre.
    frame = _lines(*shapely.linestrings(_awkward_pairs(np.random.default_rng(5), 800)))
    boundaries = read_boundaries()
    on_grid, worst_km = _grid_vs_direct(frame, boundaries, monkeypatch)
    assert worst_km < 1e-6
    assert on_grid["segment_id"].nunique() == len(frame) and len(on_grid) > 1.2 * len(frame)


def test_country_split__grid_and_direct_paths_agree_along_a_border_on_the_grid(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The border of AAA and BBB is the meridian 1°, a line of the grid: a pair along it
    # lies on the edge of two cells, which the grid alone cannot tell apart.
    rng = np.random.default_rng(8)
    y = np.round(rng.uniform(-0.9, 0.7, 3000), 1)
    x = rng.choice([0.5, 0.9, 1.0, 1.0, 1.0, 1.1], 3000)
    pairs = np.stack([np.column_stack([x, y]), np.column_stack([x, y + 0.2])], axis=1)
    across = np.stack([np.column_stack([x - 0.3, y]), np.column_stack([x + 0.3, y])], axis=1)
    frame = _lines(*shapely.linestrings(np.concatenate([pairs, across])))
    on_grid, worst_km = _grid_vs_direct(frame, BOXES, monkeypatch)
    assert worst_km < 1e-6
    assert set(on_grid["iso3"]) == {"AAA", "BBB"}


def test_crossings__box_border_point_and_chainage() -> None:
    table = crossings(_lines(LineString([(0.5, 0), (1.5, 0)])), BOXES)
    assert table[["from_iso3", "to_iso3"]].values.tolist() == [["AAA", "BBB"]]
    assert table["km_from_start"].round(3).tolist() == [HALF_DEGREE_KM]
    assert (table["lon"].round(9).tolist(), table["lat"].round(9).tolist()) == ([1.0], [0.0])


def test_crossings__gap_between_parts_is_not_a_crossing() -> None:
    line = MultiLineString([[(0.2, 0), (0.7, 0)], [(1.2, 0), (1.7, 0)]])
    assert crossings(_lines(line), BOXES).empty


def test_crossings__karakoram_highway_at_khunjerab() -> None:
    atlas = load_atlas()
    kkh = atlas.segments[atlas.segments["segment_id"] == "qtta_kkh"]
    (crossing,) = crossings(kkh, atlas.boundaries).itertuples()
    khunjerab = atlas.places.set_index("id").geometry["khunjerab"]
    assert (crossing.from_iso3, crossing.to_iso3) == ("PAK", "CHN")
    assert abs(crossing.lon - khunjerab.x) < 0.1 and abs(crossing.lat - khunjerab.y) < 0.1


def test_country_split__antimeridian_segment_is_rejected() -> None:
    # Lengths go the short way across ±180°; a straight lon/lat cut would not, so say so.
    with pytest.raises(CorridorDataError, match=r"line\(s\) 0: a segment crosses the antimeridian"):
        country_split(_lines(LineString([(179.5, 0), (-179.5, 0)])), BOXES)


def _walks(lines: int, vertices: int, seed: int) -> np.ndarray:
    """Random walks over the borders of Pakistan, Afghanistan and Central Asia, some steps long."""
    rng = np.random.default_rng(seed)
    steps = rng.normal(0, 0.08, (lines, vertices, 2))
    steps[rng.random((lines, vertices)) < 0.05] *= 60  # a few segments of hundreds of km
    start = np.column_stack([rng.uniform(64, 74, lines), rng.uniform(30, 40, lines)])
    coords = start[:, None, :] + np.cumsum(steps, axis=1)
    return shapely.linestrings(coords)


def test_split_metres__in_chunks_the_parts_are_those_of_one_cut() -> None:
    geoms = _walks(400, 30, seed=4)
    geoms[7] = MultiLineString([[(70.9, 36.5), (71.6, 34.4)], [(60.5, 30.2), (75.0, 37.0)]])
    boundaries = read_boundaries()
    whole = borders.split_lines(geoms, boundaries).metres_by_label()
    for chunk_pairs in (5_000, 777, 50):  # a chunk ends inside lines; one long pair fills it
        _, *chunked = borders.split_metres(geoms, boundaries, chunk_pairs=chunk_pairs)
        line, label, metres, first = chunked
        assert np.array_equal(line, whole[0]) and np.array_equal(label, whole[1])
        assert np.abs(metres - whole[2]).max() < 1e-6  # metres, added in another order
        # Where each part first appears orders each line's parts as one cut does.
        assert np.array_equal(np.lexsort((first, line)), np.lexsort((whole[3], whole[0])))


def test_split_metres__chunks_cut_on_a_pool_of_threads_give_the_same_parts() -> None:
    geoms = _walks(300, 30, seed=6)
    boundaries = read_boundaries()
    alone = borders.split_metres(geoms, boundaries, chunk_pairs=600)
    with ThreadPoolExecutor(3) as pool:
        together = borders.split_metres(geoms, boundaries, chunk_pairs=600, mapper=pool.map)
    assert alone[0] == together[0] and len(alone[1]) > 300
    assert all(np.array_equal(a, b) for a, b in zip(alone[1:], together[1:], strict=True))


def test_split_metres__cuts_no_more_than_a_chunk_of_densified_pairs_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Memory is bounded by the chunk, not by the line: one line of 200 segments of 300-600 km."""
    lon = np.linspace(62.0, 74.0, 201)
    lat = 33.0 + 3.0 * np.sin(np.arange(201))
    line = LineString(np.column_stack([lon, lat]))
    cut = []
    real = borders._split_vertices

    def recording(*args: object) -> borders.Split:
        split = real(*args)  # type: ignore[arg-type]
        cut.append(int(split.joins.sum()))
        return split

    monkeypatch.setattr(borders, "_split_vertices", recording)
    labels, _, label, metres, _ = borders.split_metres([line], read_boundaries(), chunk_pairs=500)
    _, _, pair_m = borders.GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    pieces = np.ceil(pair_m / 10_000)  # every segment densified to 10 km
    assert sum(cut) == pieces.sum() and len(cut) == np.ceil(pieces.sum() / 500)
    assert max(cut) <= 500 + pieces.max()  # a chunk, and at most one pair's pieces more
    assert abs(metres.sum() - geodesic_length_m(gpd.GeoSeries([line], crs=4326))[0]) < 1e-3
    assert {labels[i] for i in label} >= {"AFG", "PAK"}


def _reference_parts(split: borders.Split) -> dict[tuple[int, int], tuple[float, float]]:
    """(line, label) -> (metres, first) added up from every run, one at a time."""
    seg, t0, t1, label = split.runs()
    parts: dict[tuple[int, int], tuple[float, float]] = {}
    for s, a, b, lab in zip(seg.tolist(), t0.tolist(), t1.tolist(), label.tolist(), strict=True):
        key = (int(split.owner[s]), lab)
        metres, first = parts.get(key, (0.0, np.inf))
        parts[key] = (metres + (b - a) * split.pair_m[s], min(first, s + a))
    return parts


@pytest.mark.parametrize("seed", [4, 9])
def test_metres_by_label__equals_the_runs_added_up_one_by_one(seed: int) -> None:
    # Pairs wholly in one country skip the trimming of runs; what comes out is the same.
    split = borders.split_lines(_walks(300, 40, seed=seed), read_boundaries())
    line, label, metres, first = split.metres_by_label()
    reference = _reference_parts(split)
    assert list(zip(line.tolist(), label.tolist(), strict=True)) == sorted(reference)
    expected = np.array([reference[key] for key in sorted(reference)])
    assert np.abs(metres - expected[:, 0]).max() < 1e-6
    assert np.array_equal(first, expected[:, 1])
    assert (label == len(split.labels) - 1).any() and len(set(label.tolist())) > 3
    # The runs themselves: in order along each pair, covering every pair exactly once.
    seg, t0, t1, _ = split.runs()
    assert np.array_equal(np.lexsort((t0, seg)), np.arange(seg.size)) and (t1 > t0).all()
    assert np.array_equal(np.unique(seg), np.flatnonzero(split.joins))
    # (to 1e-9: the trims are found on pair index * 2 + t, some 10**5 here, a 1e-11 grain)
    assert np.abs(np.bincount(seg, weights=t1 - t0)[split.joins] - 1).max() < 1e-9


def test_by_part__lines_far_apart_are_sorted_not_given_a_slot_each() -> None:
    line = np.array([3, 10**9, 3, 7, 10**9], dtype=np.intp)
    label = np.array([2, 0, 2, 5, 0], dtype=np.intp)
    metres = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    first = np.array([5.0, 1.0, 2.5, 0.0, 3.0])
    for lines, far in ((line, 10**9), (np.minimum(line, 9), 9)):  # sorted; a slot per key
        got_line, got_label, got_metres, got_first = borders._by_part(
            lines, label, metres, first, 6
        )
        assert got_line.tolist() == [3, 7, far] and got_label.tolist() == [2, 5, 0]
        assert got_metres.tolist() == [5.0, 8.0, 18.0] and got_first.tolist() == [2.5, 0.0, 1.0]
