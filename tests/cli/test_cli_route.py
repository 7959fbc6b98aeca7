"""``corridors route`` and ``corridors reach``, run in-process."""

from __future__ import annotations

import json

import pytest

from corridors.cli import main


def test_main__route_rail_all_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            ["route", "Termez", "PESHAWAR", "--mode", "rail", "--status", "all", "--format", "json"]
        )
        == 0
    )
    route = json.loads(capsys.readouterr().out)
    assert (route["from"], route["to"], route["mode"]) == ("termez", "peshawar", "rail")
    assert set(route["km_by_corridor"]) == {"uap_railway"}
    assert route["alternatives_used"] == ["uap_alt_torkham"]
    assert route["km"] == pytest.approx(sum(leg["km"] for leg in route["legs"]), abs=0.5)


def test_main__route_table_names_the_route(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", "termez", "peshawar", "--mode", "road"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Termez → Peshawar by road (operating links): ")
    assert "border crossings: UZB→AFG (termez–hairatan), AFG→PAK (jalalabad–torkham)" in out


def test_main__route_no_operating_rail_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", "termez", "peshawar", "--mode", "rail"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "error: no rail route from Termez to Peshawar over operating links "
        "— Peshawar has no operating rail link.\n"
    )


def test_main__route_disconnected_pair_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", "baku", "quetta", "--mode", "rail"]) == 1
    assert capsys.readouterr().err == (
        "error: no rail route from Baku to Quetta over operating links "
        "— from Baku they reach only Astara. Try --status all.\n"
    )


def test_main__route_unknown_place_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", "Peshawer", "termez"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "error: unknown place 'Peshawer' — did you mean peshawar (Peshawar)?\n"


def test_main__route_from_a_capital_off_the_network(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", "Tashkent", "Karachi", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["from"] == "termez"
    assert captured.err.startswith(
        "note: Tashkent is not on the transport network; routes start at Termez"
    )
    assert main(["route", "Dushanbe", "Karachi"]) == 1
    assert (
        "error: Dushanbe is not on the transport network, nor is any TJK place."
        in capsys.readouterr().err
    )


def test_main__reach_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reach", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [r["partner"] for r in document["reach"]] == ["AZE", "KAZ", "KGZ", "TJK", "TKM", "UZB"]
    assert [(r["mode"], r["links"]) for r in document["termez_peshawar"]] == [
        ("rail", "operating"), ("rail", "all"), ("road", "operating"), ("road", "all"),
    ]  # fmt: skip
