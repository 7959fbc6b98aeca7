"""``lengths DATASET --engine dask``: the same records as the streamed engine, on a real cluster.

The cluster is a real LocalCluster of two worker processes. Its scheduler and workers talk
over TCP on 127.0.0.1, so these tests, and only these, let sockets connect to that address
(pytest-socket's ``allow_hosts``); every other host stays blocked.
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely

from corridors.cli import main
from corridors.data.atlas import measuring_boundaries
from corridors.errors import CorridorDataError, CorridorOutputError
from corridors.outputs.dask_lengths import (
    MISSING_EXTRA,
    dataset_files,
    local_cluster,
    measure_dataset,
)
from corridors.outputs.stream import RECORD_SCHEMAS, measure_file

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

_EXTRA = "the optional extra is not installed: pip install 'corridors[dask]'"
_ROW_GROUP = 16
#: 1 mm in km, and the float noise of two roundings to the mm (batches cut differently
#: sum a line's pieces in another order, about 1e-10 km apart).
_MM = 1e-6 + 1e-9


@pytest.fixture(scope="module")
def dask_extra() -> None:
    """Skip, saying why, where dask and distributed are missing."""
    pytest.importorskip("dask.dataframe", reason=_EXTRA)
    pytest.importorskip("distributed", reason=_EXTRA)


@pytest.fixture(scope="module")
def scheduler(dask_extra: None) -> Iterator[str]:
    """The address of a local cluster of two worker processes, one thread each."""
    with local_cluster(2) as cluster:
        yield cluster.scheduler_address


def _lines(rng: np.random.Generator, n: int) -> np.ndarray:
    """Random walks of 2 to 6 vertices in 60–80°E, 25–45°N, many across borders."""
    walks = []
    for _ in range(n):
        steps = rng.normal(0, 0.6, (int(rng.integers(2, 7)), 2))
        steps[0] = rng.uniform((60, 25), (80, 45))
        walks.append(np.clip(np.cumsum(steps, axis=0), (60, 25), (80, 45)))
    return np.array([shapely.LineString(w) for w in walks], dtype=object)


def _write_dataset(folder: Path, bad_at: int | None = None) -> list[Path]:
    """
    Write three GeoParquet files of row groups of 16 features, unlike in their columns.

    part.0 has segment_ids (some missing) and names; part.1 an ``ID`` column of numbers and
    no names; part.2 no ids, and metres in UTM 42N. With `bad_at`, that feature of part.1
    gets a latitude of 95.
    """
    rng = np.random.default_rng(16)
    folder.mkdir(parents=True, exist_ok=True)
    first = _lines(rng, 40)
    second = _lines(rng, 30)
    if bad_at is not None:
        second[bad_at] = shapely.LineString([(70, 30), (70, 95)])
    frames = [
        gpd.GeoDataFrame(
            {
                "segment_id": [None if k % 4 == 0 else f"road-{k}" for k in range(40)],
                "name": [f"Road {k}" for k in range(40)],
            },
            geometry=first,
            crs="EPSG:4326",
        ),
        gpd.GeoDataFrame({"ID": np.arange(100, 130)}, geometry=second, crs="EPSG:4326"),
        gpd.GeoDataFrame(
            {"name": [None, *[f"Line {k}" for k in range(1, 35)]]},
            geometry=_lines(rng, 35),
            crs="EPSG:4326",
        ).to_crs("EPSG:32642"),
    ]
    paths = [folder / f"part.{k}.parquet" for k in range(3)]
    for frame, path in zip(frames, paths, strict=True):
        frame.to_parquet(path, row_group_size=_ROW_GROUP)
    return paths


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three files of :func:`_write_dataset`, 105 features."""
    folder = tmp_path_factory.mktemp("dataset") / "lines"
    _write_dataset(folder)
    return folder


@pytest.fixture(scope="module")
def boundaries() -> gpd.GeoDataFrame:
    """The boundaries ``corridors lengths --by country`` measures users' lines against."""
    return measuring_boundaries()


def _streamed(dataset: Path, out: Path, by: str, boundaries: gpd.GeoDataFrame) -> pd.DataFrame:
    """The records of ``measure_file`` on the dataset's files made one (in EPSG:4326)."""
    parts = [gpd.read_parquet(p).to_crs("EPSG:4326") for p in dataset_files(dataset)]
    whole = out.with_name("whole.parquet")
    gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs="EPSG:4326").to_parquet(whole)
    # One thread: with two, borders._interval_parts prepares shared pieces on both threads
    # at once and GEOS crashes now and then (reported); the records do not depend on it.
    measure_file(whole, out, by=by, boundaries=boundaries, jobs=1, batch_size=25)
    return pd.read_parquet(out)


def _in_dataset_order(result: Path) -> pd.DataFrame:
    records = pd.read_parquet(result)
    ordered = records.sort_values(["source_file", "feature"], kind="stable")
    return ordered.reset_index(drop=True)


@pytest.mark.parametrize("by", ["segment", "country"])
def test_measure_dataset__same_records_as_the_streamed_engine(
    scheduler: str, dataset: Path, boundaries: gpd.GeoDataFrame, tmp_path: Path, by: str
) -> None:
    out = tmp_path / "lengths"
    summary = measure_dataset(
        dataset,
        out,
        by=by,
        boundaries=boundaries if by == "country" else None,
        scheduler=scheduler,
        batch_size=_ROW_GROUP,
    )
    dask_records = _in_dataset_order(out)
    streamed = _streamed(dataset, tmp_path / "streamed.parquet", by, boundaries)

    assert list(dask_records.columns) == RECORD_SCHEMAS[by].names
    assert dask_records["feature"].is_monotonic_increasing
    assert dask_records["source_file"].unique().tolist() == [
        str(dataset / f"part.{k}.parquet") for k in range(3)
    ]
    same = [c for c in RECORD_SCHEMAS[by].names if c != "source_file"]
    pd.testing.assert_frame_equal(
        dask_records[same], streamed[same], check_exact=False, rtol=0, atol=_MM
    )
    # ids as the streamed engine reads them: segment_id, else ID, else the dataset index
    ids = dask_records.drop_duplicates("feature").set_index("feature")["segment_id"]
    assert ids[1] == "road-1" and ids[0] == "0" and ids[40] == "100" and ids[104] == "104"
    if by == "country":
        assert dask_records.groupby("feature").size().max() > 1  # lines across borders
    assert (summary.features, summary.records) == (105, len(streamed))
    assert summary.vertices == int(shapely.get_num_coordinates(_all_lines(dataset)).sum())
    assert summary.jobs == 2
    assert sorted(p.name for p in out.glob("*.parquet")) == [
        f"part.{k}.parquet"
        for k in range(8)  # 3 + 2 + 3 row groups of 16
    ]
    assert not list(tmp_path.glob(".lengths.*"))


def _all_lines(dataset: Path) -> np.ndarray:
    return np.concatenate([gpd.read_parquet(p).geometry.values for p in dataset_files(dataset)])


def test_measure_dataset__a_bad_feature_is_one_line_and_keeps_the_previous_result(
    scheduler: str, dataset: Path, tmp_path: Path
) -> None:
    out = tmp_path / "lengths"
    measure_dataset(dataset, out, scheduler=scheduler)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = _write_dataset(tmp_path / "bad", bad_at=3)

    with pytest.raises(CorridorDataError) as caught:
        measure_dataset(tmp_path / "bad", out, scheduler=scheduler)

    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(
        f"{bad[1]}: feature 43 (segment_id '103'): coordinates: latitude 95 outside [-90, 90]"
    )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "lengths"]


def test_measure_dataset__unreadable_wkb_names_its_feature(
    scheduler: str, dataset: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    table = pq.read_table(dataset / "part.0.parquet")
    wkb = table.column("geometry").to_pylist()
    wkb[5] = struct.pack("<BII2d", 1, 2, 1, 70.0, 30.0)  # a LineString of one point
    column = table.schema.get_field_index("geometry")
    table = table.set_column(column, table.schema.field(column), pa.array(wkb, pa.binary()))
    pq.write_table(table, folder / "part.0.parquet")

    with pytest.raises(CorridorDataError) as caught:
        measure_dataset(folder, tmp_path / "lengths", scheduler=scheduler)
    assert str(caught.value).startswith(
        f"{folder / 'part.0.parquet'}: feature 5 (segment_id 'road-5'): geometry: a line needs "
        "at least two points"
    )


def test_measure_dataset__replaces_an_earlier_result_but_not_the_users_files(
    scheduler: str, dataset: Path, tmp_path: Path
) -> None:
    out = tmp_path / "lengths"
    measure_dataset(dataset, out, scheduler=scheduler, batch_size=_ROW_GROUP)
    measure_dataset(dataset, out, scheduler=scheduler)  # one partition per file now
    assert sorted(p.name for p in out.glob("*.parquet")) == [f"part.{k}.parquet" for k in range(3)]
    assert len(pd.read_parquet(out)) == 105

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(CorridorOutputError, match=r"notes\.txt, which corridors did not write"):
        measure_dataset(dataset, mine, scheduler=scheduler)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_measure_dataset__a_glob_in_natural_file_order(
    scheduler: str, dataset: Path, tmp_path: Path
) -> None:
    out = tmp_path / "lengths"
    summary = measure_dataset(f"{dataset}/part.[12].parquet", out, scheduler=scheduler)
    records = pd.read_parquet(out)
    assert summary.features == 65
    assert records["feature"].tolist() == list(range(65))  # indices count from the first match
    assert records["segment_id"].iloc[0] == "100"


def test_measure_dataset__unreachable_scheduler_is_one_line(
    dask_extra: None, dataset: Path, tmp_path: Path
) -> None:
    import dask

    with (
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
        pytest.raises(CorridorDataError, match=r"^--scheduler tcp://127.0.0.1:1: cannot connect"),
    ):
        measure_dataset(dataset, tmp_path / "lengths", scheduler="tcp://127.0.0.1:1")
    assert not (tmp_path / "lengths").exists()


def test_dataset_files__missing_or_empty_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(CorridorDataError, match="no such folder or file"):
        dataset_files(tmp_path / "nowhere")
    (tmp_path / "_metadata").write_bytes(b"")
    with pytest.raises(CorridorDataError, match=r"no \.parquet files in this folder"):
        dataset_files(tmp_path)
    with pytest.raises(CorridorDataError, match="no file matches"):
        dataset_files(f"{tmp_path}/*.parquet")


def test_measure_dataset__no_features_is_one_line(dask_extra: None, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    empty = gpd.GeoDataFrame({"name": []}, geometry=gpd.GeoSeries([]), crs="EPSG:4326")
    empty.to_parquet(folder / "part.0.parquet")
    with pytest.raises(CorridorDataError, match="holds no features — give a dataset with lines"):
        measure_dataset(folder, tmp_path / "lengths")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]


def test_main__lengths_dataset_engine_dask_on_a_local_cluster(
    dask_extra: None, dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "lengths"
    assert main(["lengths", str(dataset), "--engine", "dask", "--out", str(out)]) == 0
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.startswith("measured 105 features (")
    assert line.endswith(f"with 2 job(s); wrote 105 records to {out}")
    records = pd.read_parquet(out)
    assert sorted(records["feature"]) == list(range(105))


def test_measure_dataset__without_the_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
    dataset: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(CorridorDataError) as caught:
        measure_dataset(dataset, tmp_path / "lengths")
    assert str(caught.value) == MISSING_EXTRA
    assert MISSING_EXTRA == "--engine dask needs the optional extra: pip install 'corridors[dask]'"

    assert main(["lengths", str(dataset), "--engine", "dask", "--out", str(tmp_path / "x")]) == 1
    assert capsys.readouterr().err == f"error: {MISSING_EXTRA}\n"
    assert not (tmp_path / "lengths").exists() and not (tmp_path / "x").exists()
