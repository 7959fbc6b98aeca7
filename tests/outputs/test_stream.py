"""Streamed measuring (``measure_file``): the in-memory records, in input order, whole or none."""

from __future__ import annotations

import csv
import gc
import logging
import threading
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from stream_cases import BAD_FEATURES, lines_frame, write_lines, write_with_wkb
from third_party import BUBENEC, MOMEPY_TESTS, STREETS_SHP, shipped_with

import corridors.outputs.stream as stream
from corridors.data.atlas import measuring_boundaries
from corridors.data.lines import read_user_lines
from corridors.errors import CorridorDataError
from corridors.measure import borders, geodesic
from corridors.measure.geodesic import GEOD
from corridors.outputs import atomic
from corridors.outputs.lengths_report import file_country_table, file_segment_table
from corridors.outputs.stream import RECORD_SCHEMAS, measure_file

FEATURES = 5_000
BATCH = 700  # 5,000 features: 7 full batches and one of 100
IDS = ["source_file", "layer", "segment_id", "name"]
FORMATS = [".parquet", ".gpkg", ".geojson"]


@pytest.fixture(scope="module")
def lines() -> gpd.GeoDataFrame:
    return lines_frame(FEATURES)


@pytest.fixture(scope="module")
def files(lines: gpd.GeoDataFrame, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same 5,000 lines as GeoParquet, GeoPackage and GeoJSON."""
    folder = tmp_path_factory.mktemp("lines")
    return {suffix: write_lines(lines, folder / f"lines{suffix}") for suffix in FORMATS}


@pytest.fixture(scope="module")
def boundaries() -> gpd.GeoDataFrame:
    return measuring_boundaries()


def _in_memory(
    path: Path, by: str, boundaries: gpd.GeoDataFrame, layer: str | None = None
) -> pd.DataFrame:
    """What ``corridors lengths FILE`` measures, km unrounded."""
    frame = read_user_lines(path, layer)
    return file_country_table(frame, boundaries) if by == "country" else file_segment_table(frame)


def _assert_same_records(got: pd.DataFrame, expected: pd.DataFrame, by: str) -> None:
    """Same ids in the same order, and km to the millimetre."""
    ids = [*IDS, "iso3", "boundaries"] if by == "country" else IDS
    plain = [[None if pd.isna(v) else v for v in row] for row in got[ids].itertuples(index=False)]
    assert plain == [list(row) for row in expected[ids].itertuples(index=False)]
    error_km = np.abs(got["length_km"].to_numpy() - expected["length_km"].to_numpy())
    assert error_km.max() < 1e-6  # 1 mm


def _folder(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


# --- streamed and in-memory agree ---------------------------------------------------------


@pytest.mark.parametrize("by", ["segment", "country"])
@pytest.mark.parametrize("suffix", FORMATS)
def test_measure_file__streamed_records_are_the_in_memory_ones(
    suffix: str,
    by: str,
    files: dict[str, Path],
    boundaries: gpd.GeoDataFrame,
    tmp_path: Path,
) -> None:
    out = tmp_path / "result.parquet"
    jobs = 2
    summary = measure_file(
        files[suffix], out, by=by, boundaries=boundaries, jobs=jobs, batch_size=BATCH
    )
    got = pd.read_parquet(out)
    expected = _in_memory(files[suffix], by, boundaries)
    assert (summary.features, summary.vertices) == (FEATURES, FEATURES * 5)
    assert summary.records == len(got) == len(expected)
    if by == "country":
        assert len(expected) > FEATURES  # some lines do cross a border
    assert list(got.columns) == RECORD_SCHEMAS[by].names
    _assert_same_records(got, expected, by)
    # `feature` is each record's index in the file, whatever the batch it came in.
    assert got["feature"].tolist() == [int(s.removeprefix("road-")) for s in got["segment_id"]]


def test_measure_file__geoparquet_read_a_row_group_at_a_time(
    lines: gpd.GeoDataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row groups of 1,100 features, batches of 700: no batch spans two groups, no record lost."""
    path = tmp_path / "groups.parquet"
    lines.to_parquet(path, row_group_size=1_100)
    sizes: dict[int, int] = {}
    real = stream.measure_batch

    def measure_batch(batch: Any, **kwargs: Any) -> Any:
        sizes[int(batch.feature[0])] = len(batch.feature)
        return real(batch, **kwargs)

    monkeypatch.setattr(stream, "measure_batch", measure_batch)
    out = tmp_path / "result.parquet"
    measure_file(path, out, jobs=2, batch_size=BATCH)
    # 4 groups of 1,100 and one of 600, in file order
    assert [sizes[start] for start in sorted(sizes)] == [700, 400] * 4 + [600]
    got = pd.read_parquet(out)
    assert got["feature"].tolist() == list(range(FEATURES))
    _assert_same_records(got, _in_memory(path, "segment", measuring_boundaries()), "segment")


# --- input order, whatever the jobs -------------------------------------------------------


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_measure_file__one_or_four_jobs_write_the_same_bytes_in_input_order(
    suffix: str, files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow_first = stream.measure_batch

    def measure_batch(batch: Any, **kwargs: Any) -> pd.DataFrame:
        time.sleep(0.02 if batch.start % 1_000 == 0 else 0.0)  # later batches finish first
        return slow_first(batch, **kwargs)

    monkeypatch.setattr(stream, "measure_batch", measure_batch)
    results = {}
    for jobs in (1, 4):
        out = tmp_path / f"jobs{jobs}{suffix}"
        measure_file(files[".parquet"], out, jobs=jobs, batch_size=250)
        results[jobs] = out.read_bytes()
    assert results[1] == results[4]
    out = tmp_path / f"jobs4{suffix}"
    table = pd.read_parquet(out) if suffix == ".parquet" else pd.read_csv(out)
    assert table["feature"].tolist() == list(range(FEATURES))


@pytest.fixture
def geos_calls(monkeypatch: pytest.MonkeyPatch) -> dict[int, set[int]]:
    """
    Record which threads hand each prepared geometry to GEOS, one call at a time.

    GEOS builds a prepared geometry's indexes on first use, without a lock: two threads
    using one prepared geometry can crash the process. The calls are serialised here,
    so the test can count the sharing without crashing.
    """
    users: dict[int, set[int]] = defaultdict(set)
    alive: list[Any] = []  # keep the geometries, so that no id is reused
    lock = threading.Lock()

    def tracked(function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            with lock:
                for arg in args:
                    if isinstance(arg, shapely.Geometry):
                        geoms = np.array([arg], dtype=object)
                    elif isinstance(arg, np.ndarray) and arg.dtype == object:
                        geoms = arg.ravel()  # geometries (coordinates come as floats)
                    else:
                        continue
                    for geom in geoms[shapely.is_prepared(geoms)]:
                        users[id(geom)].add(threading.get_ident())
                        alive.append(geom)
                return function(*args, **kwargs)

        return call

    for name in ("contains_properly", "intersects", "intersects_xy", "covers", "prepare"):
        monkeypatch.setattr(shapely, name, tracked(getattr(shapely, name)))
    return users


def test_measure_file__by_country_four_jobs_write_what_one_job_writes(
    geos_calls: dict[int, set[int]], boundaries: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    source = write_lines(lines_frame(1_000, step=0.2), tmp_path / "lines.parquet")
    written = {}
    for jobs in (1, 4):
        out = tmp_path / f"jobs{jobs}.parquet"
        measure_file(source, out, by="country", boundaries=boundaries, jobs=jobs, batch_size=25)
        written[jobs] = out.read_bytes()
    assert written[1] == written[4]


def test_measure_file__threads_share_no_prepared_geometry(
    geos_calls: dict[int, set[int]], boundaries: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    source = write_lines(lines_frame(1_000, step=0.2), tmp_path / "lines.parquet")
    measure_file(
        source, tmp_path / "r.parquet", by="country", boundaries=boundaries, jobs=4, batch_size=25
    )
    assert geos_calls, "no prepared geometry was used: the tracking missed the predicates"
    shared = sum(len(threads) > 1 for threads in geos_calls.values())
    assert shared == 0, f"{shared} prepared geometries used by more than one thread"


def _zigzag() -> gpd.GeoDataFrame:
    """One line of 1,100 vertices whose jumps of 2,600 km make ~290,000 pairs densified."""
    zigzag = [(61.0, 26.0), (79.0, 44.0)] * 550
    return gpd.GeoDataFrame(
        {"segment_id": ["z"], "name": ["zigzag"]},
        geometry=[shapely.LineString(zigzag)],
        crs=4326,
    )


def test_measure_file__one_long_line_is_cut_on_every_job_and_gives_what_one_job_gives(
    boundaries: gpd.GeoDataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One feature is one batch: its spans and chunks are shared out among the idle jobs."""
    monkeypatch.setattr(geodesic, "SPAN_PAIRS", 300)  # 4 spans of its 1,099 pairs
    frame = _zigzag()
    source = write_lines(frame, tmp_path / "long.parquet")
    threads: list[str] = []
    real = borders._split_vertices

    def recording(*args: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setattr(borders, "_split_vertices", recording)
    written = {}
    for jobs in (1, 2):
        threads.clear()
        out = tmp_path / f"jobs{jobs}.parquet"
        measure_file(source, out, by="country", boundaries=boundaries, jobs=jobs)
        written[jobs] = out.read_bytes()
        assert len(threads) == 2  # two chunks of at most CHUNK_PAIRS densified pairs
        span_threads = {t for t in threads if t.startswith("corridors-span")}
        assert span_threads == (set() if jobs == 1 else set(threads))
    assert written[1] == written[2]
    threads.clear()  # two batches for two jobs: each job measures its own, with no help
    two = write_lines(pd.concat([frame, frame], ignore_index=True), tmp_path / "two.parquet")
    measure_file(
        two, tmp_path / "two.csv", by="country", boundaries=boundaries, jobs=2, batch_size=1
    )
    assert len(threads) == 4 and not any(t.startswith("corridors-span") for t in threads)
    table = pd.read_parquet(tmp_path / "jobs2.parquet")
    assert {"AFG", "CHN", "PAK"} <= set(table["iso3"])
    assert table["length_km"].sum() == pytest.approx(
        GEOD.geometry_length(frame.geometry[0]) / 1000, abs=0.01
    )


# --- whole or nothing ---------------------------------------------------------------------


def _stop_after_second(index: int) -> None:
    if index == 1:
        raise KeyboardInterrupt


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".gpkg"])
def test_measure_file__interrupted_after_two_batches_leaves_the_previous_result(
    suffix: str, files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / f"result{suffix}"
    out.write_bytes(b"the previous result")
    before = _folder(out)
    seen = []

    def hook(index: int) -> None:
        seen.append(index)
        _stop_after_second(index)

    with pytest.raises(KeyboardInterrupt):
        measure_file(files[".parquet"], out, batch_size=BATCH, jobs=2, on_batch=hook)
    assert seen == [0, 1]
    assert _folder(out) == before  # the previous result as it was, no partial file


@pytest.mark.parametrize("jobs", [1, 2])
def test_measure_file__a_signal_stops_a_long_batch_between_its_chunks(
    jobs: int, boundaries: gpd.GeoDataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C during one huge line stops it at the next chunk, not when the line is done."""
    source = write_lines(_zigzag(), tmp_path / "long.parquet")
    out = tmp_path / "result.parquet"
    cut = []
    real = borders._split_vertices

    def signalled(*args: Any) -> Any:
        cut.append(1)
        atomic.interrupted.append("SIGINT")  # what the command line's handler records
        return real(*args)

    monkeypatch.setattr(borders, "_split_vertices", signalled)
    monkeypatch.setattr(atomic, "interrupted", [])
    with pytest.raises(KeyboardInterrupt):
        measure_file(source, out, by="country", boundaries=boundaries, jobs=jobs)
    assert len(cut) == 1  # of its two chunks
    assert not out.exists() and _folder(source) == {"long.parquet": source.read_bytes()}


def test_measure_file__interrupted_without_a_previous_result_leaves_nothing(
    files: dict[str, Path], tmp_path: Path
) -> None:
    with pytest.raises(KeyboardInterrupt):
        measure_file(
            files[".gpkg"],
            tmp_path / "result.parquet",
            batch_size=BATCH,
            skip_invalid=True,
            on_batch=_stop_after_second,
        )
    assert list(tmp_path.iterdir()) == []  # no result, no rejected list, no partial file


def test_measure_file__a_batch_that_fails_on_a_thread_leaves_the_previous_result(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = stream.measure_batch

    def measure_batch(batch: Any, **kwargs: Any) -> pd.DataFrame:
        if batch.start == 3 * BATCH:
            raise MemoryError("batch 3")
        return real(batch, **kwargs)

    monkeypatch.setattr(stream, "measure_batch", measure_batch)
    out = tmp_path / "result.csv"
    out.write_text("the previous result\n")
    before = _folder(out)
    with pytest.raises(MemoryError, match="batch 3"):
        measure_file(files[".parquet"], out, batch_size=BATCH, jobs=4)
    assert _folder(out) == before


# --- bad features -------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".parquet", ".gpkg"])
def test_measure_file__skip_invalid_lists_every_kind_of_bad_feature(
    suffix: str, lines: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    """One bad feature of each kind, in different batches; the others are measured."""
    at = {kind: 500 + 900 * i for i, kind in enumerate(BAD_FEATURES)}
    wkb = list(shapely.to_wkb(lines.geometry.to_numpy()))
    for kind, index in at.items():
        wkb[index] = BAD_FEATURES[kind][0]
    source = write_with_wkb(lines, wkb, tmp_path / f"bad{suffix}")
    summary = measure_file(source, tmp_path / "r.parquet", batch_size=BATCH, skip_invalid=True)
    assert summary.rejected == [
        (index, f"road-{index}", BAD_FEATURES[kind][1]) for kind, index in at.items()
    ]
    assert summary.rejected_file == tmp_path / "r.rejected.csv"
    good = pd.read_parquet(tmp_path / "r.parquet")
    assert good["feature"].tolist() == [i for i in range(FEATURES) if i not in at.values()]
    expected = file_segment_table(lines.drop(index=list(at.values())).reset_index(drop=True))
    error_km = np.abs(good["length_km"].to_numpy() - expected["length_km"].to_numpy())
    assert error_km.max() < 1e-6
    with open(tmp_path / "r.rejected.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["feature", "segment_id", "reason"]
    assert rows[1:] == [[str(i), s, r] for i, s, r in summary.rejected]


def test_measure_file__skip_invalid_leaves_out_a_bad_geojson_feature_too(
    lines: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    source = write_lines(lines.iloc[:10], tmp_path / "lines.geojson")
    text = source.read_text(encoding="utf-8")
    first = text.index('"LineString"')  # the first feature becomes a Point
    end = text.index("]]", first) + 2
    source.write_text(
        text[:first] + '"Point", "coordinates": [66.0, 36.0]' + text[end:], encoding="utf-8"
    )
    summary = measure_file(source, tmp_path / "r.parquet", skip_invalid=True)
    assert summary.rejected == [(0, "road-0", BAD_FEATURES["point"][1])]
    assert summary.records == 9


def test_measure_file__a_file_with_no_features_is_an_error_not_an_empty_result(
    lines: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    for suffix in (".parquet", ".gpkg"):
        empty = write_lines(lines.iloc[:0], tmp_path / f"empty{suffix}")
        with pytest.raises(CorridorDataError, match="holds no features"):
            measure_file(empty, tmp_path / "r.parquet")
        with pytest.raises(CorridorDataError, match="holds no features"):
            read_user_lines(empty)  # as the in-memory command says
    assert not (tmp_path / "r.parquet").exists()


# --- the result formats -------------------------------------------------------------------


HOSTILE_NAMES = {
    '=HYPERLINK("http://example.com","x")': '\'=HYPERLINK("http://example.com","x")',
    "+1-1": "'+1-1",
    "@SUM(A1)": "'@SUM(A1)",
    "-12.5": "-12.5",  # a number written as text stays as it is
    "Kabul–Peshawar": "Kabul–Peshawar",
}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    names = list(HOSTILE_NAMES)
    frame = gpd.GeoDataFrame(
        {"segment_id": ["=1+1", "-7", "r2", "r3", "r4"], "name": names},
        geometry=[shapely.LineString([(66.0, 36.0), (66.1, 36.0 + i / 10)]) for i in range(5)],
        crs="EPSG:4326",
    )
    return write_lines(frame, tmp_path / "hostile.parquet")


def test_measure_file__csv_cells_a_spreadsheet_would_run_get_a_quote_numbers_stay(
    hostile: Path, tmp_path: Path
) -> None:
    measure_file(hostile, tmp_path / "r.csv", batch_size=2)
    with open(tmp_path / "r.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["name"] for r in rows] == list(HOSTILE_NAMES.values())
    assert [r["segment_id"] for r in rows] == ["'=1+1", "-7", "r2", "r3", "r4"]
    assert [r["feature"] for r in rows] == ["0", "1", "2", "3", "4"]
    parquet = measure_file(hostile, tmp_path / "r.parquet")
    km = pd.read_parquet(tmp_path / "r.parquet")["length_km"]
    assert parquet.records == 5
    assert [float(r["length_km"]) for r in rows] == km.tolist()  # numbers, as written


def test_measure_file__rejected_list_neutralises_formula_ids_too(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"segment_id": ["ok", "=EVIL()"]},
        geometry=[shapely.LineString([(66, 36), (66.1, 36)]), shapely.Point(66, 36)],
        crs="EPSG:4326",
    )
    source = write_lines(frame, tmp_path / "lines.parquet")
    measure_file(source, tmp_path / "r.csv", skip_invalid=True)
    with open(tmp_path / "r.rejected.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][:2] == ["1", "'=EVIL()"]


def test_measure_file__geopackage_result_reads_back_as_the_parquet_one(
    files: dict[str, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    measure_file(files[".gpkg"], tmp_path / "r.parquet", batch_size=BATCH)
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.INFO):
        warnings.simplefilter("always")
        measure_file(files[".gpkg"], tmp_path / "r.gpkg", batch_size=BATCH)
    assert [str(w.message) for w in caught] == []  # GDAL: a .gpkg file, nothing to say
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pyogrio")] == []
    assert pyogrio.list_layers(tmp_path / "r.gpkg").tolist() == [["lengths", None]]
    read = pyogrio.read_dataframe(tmp_path / "r.gpkg", read_geometry=False)
    parquet = pd.read_parquet(tmp_path / "r.parquet")
    assert list(read.columns) == list(parquet.columns)
    assert read["feature"].dtype == np.int64 and read["length_km"].dtype == np.float64
    assert read["feature"].tolist() == parquet["feature"].tolist()
    assert read[["segment_id", "name"]].equals(parquet[["segment_id", "name"]])
    assert read["length_km"].tolist() == parquet["length_km"].tolist()


# --- real files from other projects -------------------------------------------------------

SOHO = shipped_with("libpysal", "examples", "snow_maps", "Soho_Network.shp")
LINE_ZM = shipped_with("pyogrio", "tests", "fixtures", "line_zm.gpkg")
THIRD_PARTY = [
    (BUBENEC, "streets"),  # GeoPackage of four layers, EPSG:3857
    (MOMEPY_TESTS, "network"),  # MultiLineStrings in EPSG:5221, among three line layers
    (STREETS_SHP, None),  # Shapefile in US survey feet
    (SOHO, None),  # Shapefile, EPSG:3857
    (LINE_ZM, None),  # LineString ZM
]


@pytest.fixture
def quiet_gdal() -> Iterator[None]:
    with warnings.catch_warnings():  # line_zm.gpkg: GDAL notes that M is dropped
        warnings.simplefilter("ignore")
        yield


@pytest.mark.parametrize("by", ["segment", "country"])
@pytest.mark.parametrize(("path", "layer"), THIRD_PARTY, ids=lambda v: getattr(v, "name", v))
def test_measure_file__other_projects_files_as_in_memory(
    path: Path,
    layer: str | None,
    by: str,
    boundaries: gpd.GeoDataFrame,
    tmp_path: Path,
    quiet_gdal: None,
) -> None:
    out = tmp_path / "r.parquet"
    summary = measure_file(
        path, out, layer=layer, by=by, boundaries=boundaries, jobs=1, batch_size=10
    )
    got = pd.read_parquet(out)
    expected = _in_memory(path, by, boundaries, layer)
    assert summary.records == len(got) == len(expected) > 0
    assert set(got["layer"].fillna("(none)")) == {layer or "(none)"}
    _assert_same_records(got, expected, by)


def test_measure_file__a_curve_is_one_error_naming_the_feature_not_a_traceback(
    tmp_path: Path,
) -> None:
    curve = shipped_with("pyogrio", "tests", "fixtures", "curve.gpkg")
    with pytest.raises(CorridorDataError) as error:
        measure_file(curve, tmp_path / "r.parquet")
    message = str(error.value)
    assert message.count("\n") == 0
    assert message.startswith(f"{curve}: feature 0 (segment_id '0'): geometry: ")
    assert "curve" in message
    assert not (tmp_path / "r.parquet").exists()


def test_measure_file__freezes_only_while_it_runs(tmp_path: Path) -> None:
    path = write_lines(lines_frame(300), tmp_path / "lines.parquet")
    frozen: list[int] = []
    measure_file(
        path,
        tmp_path / "out.csv",
        batch_size=100,
        on_batch=lambda i: frozen.append(gc.get_freeze_count()),
    )
    assert len(frozen) == 3 and min(frozen) > 0
    assert gc.get_freeze_count() == 0
