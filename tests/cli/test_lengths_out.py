"""``corridors lengths FILE --out RESULT`` as a user runs it: one line of summary or error."""

from __future__ import annotations

import csv
import json
import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from stream_cases import BAD_AT, BAD_FEATURES, lines_frame, with_bad_feature, write_lines
from third_party import BUBENEC

from corridors.cli import main

CORRIDORS = Path(sys.executable).with_name("corridors")
FEATURES = 5_000
#: Batches this small make a run of `big` last (each batch costs a millisecond or so).
SLOW_BATCH = "20"
SUFFIXES = "end --out with .parquet, .geoparquet, .csv, .gpkg."
SUMMARY = re.compile(
    r"measured (?P<features>[\d,]+) features \((?P<vertices>[\d,]+) vertices\) in [\d.]+ s, "
    r"[\d.]+M vertices/s with (?P<jobs>\d+) job\(s\); wrote (?P<records>[\d,]+) records to "
    r"(?P<out>.+?)(; (?P<rejected>[\d,]+) rejected, listed in (?P<listed>.+))?"
)


@pytest.fixture(scope="module")
def lines() -> gpd.GeoDataFrame:
    return lines_frame(FEATURES)


@pytest.fixture(scope="module")
def source(lines: gpd.GeoDataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """5,000 lines as GeoParquet."""
    return write_lines(lines, tmp_path_factory.mktemp("lines") / "lines.parquet")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60,000 lines of 8 points: over a second in batches of SLOW_BATCH, long enough to interrupt."""
    frame = lines_frame(60_000, vertices=8, step=0.01, seed=7)
    return write_lines(frame, tmp_path_factory.mktemp("big") / "big.parquet")


def _err_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


def _partials(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.partial-*"))


def _start(*argv: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(CORRIDORS), "lengths", *argv],
        stdout=subprocess.PIPE,
        stderr=kwargs.pop("stderr", subprocess.PIPE),
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )


def _wait_for_partial(out: Path, proc: subprocess.Popen[str], limit: float = 60.0) -> Path:
    """Poll until the run is writing its hidden partial result (some bytes in it)."""
    end = time.monotonic() + limit
    while time.monotonic() < end and proc.poll() is None:
        for partial in _partials(out):
            try:
                if partial.stat().st_size > 0:
                    return partial
            except FileNotFoundError:
                pass
        time.sleep(0.005)
    raise AssertionError(f"no partial result appeared (exit {proc.poll()})")


# --- streamed as in memory, through the command line --------------------------------------


def test_lengths_out__the_records_of_lengths_file_json(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lengths", str(source), "--format", "json"]) == 0
    in_memory = json.loads(capsys.readouterr().out)
    out = tmp_path / "r.parquet"
    assert main(["lengths", str(source), "--out", str(out), "--batch-size", "700"]) == 0
    assert capsys.readouterr().out == ""  # the records go to the file only
    got = pd.read_parquet(out)
    assert got["segment_id"].tolist() == [r["segment_id"] for r in in_memory]
    # km to the mm here, to the m there: at most half a metre apart (and a rounding).
    error_km = [abs(km - r["length_km"]) for km, r in zip(got["length_km"], in_memory, strict=True)]
    assert max(error_km) <= 0.0005 + 1e-6


def test_lengths_out__a_geopackage_layer_of_another_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """momepy's bubeneč.gpkg: four layers, the streets in EPSG:3857."""
    argv = ["lengths", str(BUBENEC), "--layer", "streets", "--by", "country"]
    assert main([*argv, "--format", "json"]) == 0
    in_memory = json.loads(capsys.readouterr().out)
    out = tmp_path / "streets.csv"
    assert main([*argv, "--out", str(out), "--batch-size", "8", "--jobs", "1"]) == 0
    (line,) = _err_lines(capsys)
    assert SUMMARY.fullmatch(line) and f"wrote 35 records to {out}" in line
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["layer"], r["segment_id"], r["iso3"], r["boundaries"]) for r in rows] == [
        (r["layer"], r["segment_id"], r["iso3"], r["boundaries"]) for r in in_memory
    ]
    error_km = [
        abs(float(r["length_km"]) - m["length_km"]) for r, m in zip(rows, in_memory, strict=True)
    ]
    assert max(error_km) <= 0.0005 + 1e-6


# --- bad input inside a large file --------------------------------------------------------


@pytest.fixture(scope="module")
def bad_files(lines: gpd.GeoDataFrame, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Each kind of bad feature at index 3,456 of the 5,000, in GeoParquet and GeoPackage."""
    folder = tmp_path_factory.mktemp("bad")
    return {
        (kind, suffix): with_bad_feature(lines, kind, folder / f"{kind}{suffix}")
        for kind in BAD_FEATURES
        for suffix in (".parquet", ".gpkg")
    }


@pytest.mark.parametrize("suffix", [".parquet", ".gpkg"])
@pytest.mark.parametrize("kind", list(BAD_FEATURES))
def test_lengths_out__a_bad_feature_deep_in_the_file_is_one_line_and_no_result(
    kind: str,
    suffix: str,
    bad_files: dict,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = bad_files[kind, suffix]
    out = tmp_path / "r.parquet"
    out.write_bytes(b"the previous result")
    argv = ["lengths", str(path), "--out", str(out), "--batch-size", "700"]
    capsys.readouterr()
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    (line,) = err.splitlines()
    reason = BAD_FEATURES[kind][1]
    assert line.startswith(f"error: {path}: feature {BAD_AT} (segment_id 'road-{BAD_AT}'): ")
    assert f": {reason} — fix or remove it, or pass --skip-invalid" in line
    assert out.read_bytes() == b"the previous result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.parquet"]

    # --skip-invalid: the 4,999 others measured, the bad one listed with its reason.
    assert main([*argv, "--skip-invalid"]) == 0
    (line,) = _err_lines(capsys)
    rejected = tmp_path / "r.rejected.csv"
    summary = SUMMARY.fullmatch(line)
    assert summary, line
    assert (summary["features"], summary["records"]) == ("5,000", "4,999")
    assert (summary["rejected"], summary["listed"]) == ("1", str(rejected))
    feature = pd.read_parquet(out)["feature"].tolist()
    assert feature == [i for i in range(FEATURES) if i != BAD_AT]
    with open(rejected, encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["feature", "segment_id", "reason"],
            [str(BAD_AT), f"road-{BAD_AT}", reason],
        ]


def test_lengths_out__a_bad_geopackage_in_a_real_process_prints_one_line(
    bad_files: dict, tmp_path: Path
) -> None:
    """No GDAL or NumPy warning, no traceback: the error line alone (the NaN case)."""
    path = bad_files["nan", ".gpkg"]
    run = subprocess.run(
        [str(CORRIDORS), "lengths", str(path), "--out", str(tmp_path / "r.gpkg")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    (line,) = run.stderr.splitlines()
    assert line.startswith(f"error: {path}: feature {BAD_AT} (segment_id 'road-{BAD_AT}'): ")
    assert list(tmp_path.iterdir()) == []


# --- command-line errors: one line, exit 1 ------------------------------------------------


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("r.txt", f"r.txt: unknown result format '.txt' — {SUFFIXES}"),
        ("r", f"r: unknown result format '(no suffix)' — {SUFFIXES}"),
        ("missing/r.parquet", "missing: no such folder — create it or fix --out."),
        ("folder", "folder: is a folder — give a file name for --out."),
        ("folder.parquet", "folder.parquet: is a folder — give a file name for --out."),
    ],
)
def test_lengths_out__a_wrong_result_path_is_one_line(
    out: str,
    message: str,
    source: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder.parquet").mkdir()
    before = sorted(tmp_path.iterdir())
    assert main(["lengths", str(source), "--out", out]) == 1
    assert _err_lines(capsys) == [f"error: {message}"]
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["SECOND", "--out", "r.parquet"], "--out: give exactly one line file (run once per"),
        (["--jobs", "2"], "--jobs: only with --out RESULT (a streamed run)."),
        (["--batch-size", "9", "--skip-invalid"], "--skip-invalid: only with --out RESULT"),
        (["--out", "r.parquet", "--by", "corridor"], "--out: measures --by segment or --by"),
        (["--out", "r.parquet", "--corridor", "tapi"], "--out: measures --by segment or --by"),
    ],
)
def test_lengths_out__options_that_do_not_go_together_are_one_line(
    extra: list[str],
    message: str,
    source: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = [str(source) if a == "SECOND" else a for a in extra]
    assert main(["lengths", str(source), *argv]) == 1
    (line,) = _err_lines(capsys)
    assert line.startswith(f"error: {message}")
    assert list(tmp_path.iterdir()) == []


def test_lengths_out__no_file_to_measure_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["lengths", "--out", str(tmp_path / "r.parquet")]) == 1
    assert _err_lines(capsys) == [
        "error: --out: give the line file to measure (corridors lengths FILE --out RESULT)."
    ]


@pytest.mark.parametrize("option", ["--jobs", "--batch-size"])
@pytest.mark.parametrize("value", ["0", "-2", "two"])
def test_lengths_out__jobs_or_batch_size_below_one_is_a_usage_error(
    option: str, value: str, source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """argparse: exit 2 with the usage, and one error line naming the option."""
    with pytest.raises(SystemExit) as exited:
        main(["lengths", str(source), "--out", str(tmp_path / "r.parquet"), option, value])
    assert exited.value.code == 2
    err = _err_lines(capsys)
    assert err[0].startswith("usage: corridors lengths")
    assert err[-1] == (
        f"corridors lengths: error: argument {option}: expected a whole number of at least 1, "
        f"got {value!r}"
    )
    assert list(tmp_path.iterdir()) == []


def test_lengths_out__the_line_file_itself_is_refused(
    lines: gpd.GeoDataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--out FILE would replace the user's lines with their lengths."""
    path = write_lines(lines.iloc[:10], tmp_path / "lines.parquet")
    before = path.read_bytes()
    assert main(["lengths", str(path), "--out", str(path)]) == 1
    assert _err_lines(capsys) == [
        f"error: {path}: is the line file being measured — give another --out path."
    ]
    assert path.read_bytes() == before


def test_lengths_out__a_file_with_no_features_is_one_line(
    lines: gpd.GeoDataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = write_lines(lines.iloc[:0], tmp_path / "empty.gpkg")
    assert main(["lengths", str(empty), "--out", str(tmp_path / "r.csv")]) == 1
    assert _err_lines(capsys) == [f"error: {empty}: holds no features — give a file with lines."]
    assert not (tmp_path / "r.csv").exists()


# --- interrupted and killed runs ----------------------------------------------------------


def test_lengths_out__sigint_mid_run_exits_130_in_one_line_leaving_the_old_result(
    big: Path, tmp_path: Path
) -> None:
    out = tmp_path / "R.parquet"
    out.write_bytes(b"the previous result")
    proc = _start(str(big), "--out", str(out), "--batch-size", SLOW_BATCH, "--jobs", "1")
    _wait_for_partial(out, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith("interrupted —")
    assert out.read_bytes() == b"the previous result"
    assert _partials(out) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["R.parquet"]


def test_lengths_out__sigkill_leaves_the_partial_file_the_next_run_removes_it(
    big: Path, source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "R.parquet"
    out.write_bytes(b"the previous result")
    proc = _start(str(big), "--out", str(out), "--batch-size", SLOW_BATCH, "--jobs", "1")
    partial = _wait_for_partial(out, proc)
    proc.kill()
    proc.communicate(timeout=60)
    assert partial.name.startswith(f".R.parquet.partial-{proc.pid}-")
    assert _partials(out) == [partial]
    assert out.read_bytes() == b"the previous result"

    again = _start(str(source), "--out", str(out))
    _, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    removed, summary = err.splitlines()
    assert removed == f"removed the partial result of an interrupted run: {partial.name}"
    assert SUMMARY.fullmatch(summary)
    assert _partials(out) == []
    assert len(pd.read_parquet(out)) == FEATURES


# --- what the terminal shows --------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".gpkg"])
def test_lengths_out__stderr_not_a_terminal_gets_the_summary_line_alone(
    suffix: str, source: Path, tmp_path: Path
) -> None:
    out = tmp_path / f"R{suffix}"
    run = subprocess.run(
        [str(CORRIDORS), "lengths", str(source), "--out", str(out), "--jobs", "2"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    (line,) = run.stderr.splitlines()  # no progress, no GDAL note, no "Created N records"
    summary = SUMMARY.fullmatch(line)
    assert summary, line
    assert summary.group("features", "vertices", "jobs", "records", "out") == (
        "5,000",
        "25,000",
        "2",
        "5,000",
        str(out),
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


def test_lengths_out__a_terminal_gets_a_progress_line_then_the_summary(
    big: Path, tmp_path: Path
) -> None:
    out = tmp_path / "R.parquet"
    leader, follower = pty.openpty()
    try:
        proc = _start(
            str(big), "--out", str(out), "--batch-size", SLOW_BATCH, "--jobs", "1", stderr=follower
        )
        os.close(follower)
        follower = -1
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the process closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        out_text, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0 and out_text == ""
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    text = shown.decode()
    progress = [p for p in re.split(r"[\r\n]", text) if "vertices/s" in p and "·" in p]
    assert progress, text
    assert re.search(
        r"[\d,]+/60,000 features \(\d+%\) · [\d,]+ vertices · [\d.]+M vertices/s", text
    )
    summary = text.replace("\x1b[K", "").rstrip().split("\r")[-1]
    assert SUMMARY.fullmatch(summary), text


def test_lengths_out__the_command_keeps_freed_memory_for_its_batches(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The command owns its process, so it sets the allocator; measure_file itself does not.
    import corridors.cli.measure as command
    import corridors.data.allocator as allocator

    calls: list[str] = []
    monkeypatch.setattr(command, "keep_freed_memory", lambda: calls.append("cli") or True)
    monkeypatch.setattr(allocator, "keep_freed_memory", lambda: calls.append("lib") or True)
    assert main(["-q", "lengths", str(source), "--out", str(tmp_path / "r.csv")]) == 0
    assert calls == ["cli"]
    assert main(["-q", "lengths", str(source)]) == 0  # in memory: nothing to keep
    assert calls == ["cli"]
