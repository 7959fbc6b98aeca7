"""Claims beside the model: ranges by the crossed-bounds rule, verdicts, drivers, real values."""

from __future__ import annotations

import shutil

import pytest

from corridors.data.atlas import load_atlas
from corridors.data.cpmm import read_claims, read_parameters
from corridors.data.paths import default_data_dir
from corridors.errors import CorridorDataError
from corridors.network.claims import assess_claims, model_span, verdict
from corridors.network.graph import load_network
from corridors.network.travel import Span


@pytest.fixture(scope="module")
def assessed():
    claims = read_claims()
    found = assess_claims(load_network(load_atlas()), read_parameters(), claims)
    return {a.claim.claim_id: a for a in found}


def test_read_claims__every_claim_is_sourced():
    claims = read_claims()
    assert {c.claim_id for c in claims} >= {"tar_30pct_time_peshawar", "tar_3_5_days_rail"}
    assert all(c.quote and c.source_key for c in claims)


def test_read_claims__bad_rows_are_one_line_each(tmp_path):
    folder = tmp_path / "geodata"
    shutil.copytree(default_data_dir(), folder)
    path = folder / "cpmm" / "claims.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = (
        lines[1].replace(",saving_pct,", ",saving_percent,").replace("WADSAM-2021-TAR", "NOPE")
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CorridorDataError) as error:
        read_claims(folder)
    assert len(error.value.problems) == 2
    assert all(
        "\n" not in p and "row 2 (tar_30pct_time_peshawar)" in p for p in error.value.problems
    )


def test_model_span__saving_crosses_the_bounds():
    # base 100/200/300 h, new 50/100/150 h: central (200-100)/200; low (100-150)/100; high (300-50)/300
    span = model_span("saving_pct", Span(50, 100, 150), Span(100, 200, 300))
    assert (span.low, span.central) == (-50.0, 50.0)
    assert span.high == pytest.approx(250 / 3)
    assert model_span("saving_days", Span(24, 48, 72), Span(48, 96, 144)) == Span(-1.0, 2.0, 5.0)


def test_verdict__overlap_and_open_upper_bound():
    assert verdict(30, 30, Span(-10, 10, 40)) == "inside the range, central below the claim"
    assert verdict(40, None, Span(-5, 13, 28)) == "above the model high"
    assert verdict(35, 35, Span(3, 6, 8)) == "above the model high"


def test_assess_claims__the_30pct_time_claim_on_shipped_data(assessed):
    karachi = assessed["tar_30pct_time_karachi"]
    assert karachi.model.rounded() == {"low": -142.3, "central": 10.8, "high": 55.7}
    assert karachi.verdict == "inside the range, central below the claim"
    assert karachi.decided_by.index("torkham_afg_pak_road_hours") < karachi.decided_by.index(
        "transshipment_hours"
    )
    assert "30 h transshipment" in karachi.decided_by
    peshawar = assessed["tar_30pct_time_peshawar"]
    assert peshawar.model.rounded()["central"] == 46.2
    assert peshawar.verdict == "inside the range, central above the claim"


def test_assess_claims__cost_and_days_saved_are_above_the_model(assessed):
    for claim_id in ("tar_30pct_cost_karachi", "tar_cost_40pct", "tar_5_days_saved"):
        assert assessed[claim_id].verdict == "above the model high"
    assert assessed["tar_3_5_days_rail"].model.rounded(1)["central"] == pytest.approx(
        126.0 / 24, abs=0.05
    )
    record = assessed["tar_30pct_time_karachi"].to_dict()
    assert record["source_key"] == "WADSAM-2021-TAR"
    assert "transshipment_hours" in record["parameters"]
    assert record["gaps"]
