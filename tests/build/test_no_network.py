"""No network: the suite runs with sockets blocked, and a whole build needs none."""

from __future__ import annotations

import re
import shutil
import socket
import urllib.request
from pathlib import Path
from typing import Any

import pyproj
import pytest
from hostile_cases import snapshot
from pytest_socket import SocketBlockedError

from corridors.build import build
from corridors.data.paths import default_data_dir

# A script, stylesheet, image or frame the browser would fetch from another host.
REMOTE_FETCH = re.compile(
    r"""<(?:script|img|iframe)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//"""
    r"""|@import\s+(?:url\()?["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def _blocked() -> Any:
    """Expect pytest-socket's refusal, which it also announces as a warning."""
    return pytest.warns(UserWarning, match="A test tried to use socket")


def test_suite__sockets_are_blocked() -> None:
    with pytest.raises(SocketBlockedError), _blocked():
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def test_suite__name_lookup_and_connect_are_blocked() -> None:
    with pytest.raises(SocketBlockedError), _blocked():
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1, never routed


def test_suite__urllib_is_blocked() -> None:
    with pytest.raises(SocketBlockedError), _blocked():
        urllib.request.urlopen("http://192.0.2.1/", timeout=1)


def test_suite__proj_does_not_download_grids() -> None:
    # PROJ fetches grids with its own HTTP client, which pytest-socket cannot see.
    assert not pyproj.network.is_network_enabled()


def test_remote_fetch__pattern_finds_remote_assets() -> None:
    found = [
        bool(REMOTE_FETCH.search(html))
        for html in (
            '<script src="https://unpkg.com/leaflet.js"></script>',
            "<link rel=stylesheet href=//cdn.example/x.css>",
            '<img src="tiles/0.png">',
            '<a href="https://example.org">a cited source</a>',
        )
    ]
    assert found == [True, True, False, False]


@pytest.fixture(scope="module")
def offline_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A full build of a copy of the shipped data, every socket attempt recorded and refused."""
    attempts: list[tuple[Any, ...]] = []
    blocked_socket = socket.socket

    def recording_socket(*args: Any, **kwargs: Any) -> Any:
        attempts.append(("socket", args))
        return blocked_socket(*args, **kwargs)  # raises SocketBlockedError

    def recording_getaddrinfo(*args: Any, **kwargs: Any) -> Any:
        attempts.append(("getaddrinfo", args))
        raise SocketBlockedError()

    data = tmp_path_factory.mktemp("offline") / "geodata"
    shutil.copytree(default_data_dir(), data)
    before = snapshot(data)
    out = tmp_path_factory.mktemp("offline_output")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "socket", recording_socket)
        patch.setattr(socket, "getaddrinfo", recording_getaddrinfo)
        written = build(data, out)
    return {"written": written, "out": out, "attempts": attempts, "data": data, "before": before}


def test_build__runs_offline_without_a_socket_attempt(offline_build: dict[str, Any]) -> None:
    assert offline_build["attempts"] == []
    paths = {f.path for f in offline_build["written"]}
    assert {"index.html", "report.md"} <= paths
    assert all(f.size > 0 for f in offline_build["written"])


def test_build__pages_fetch_nothing_from_other_hosts(offline_build: dict[str, Any]) -> None:
    pages = sorted(Path(offline_build["out"]).rglob("*.html"))
    assert pages
    remote = {
        str(p.relative_to(offline_build["out"])): m.group(0)
        for p in pages
        if (m := REMOTE_FETCH.search(p.read_text(encoding="utf-8")))
    }
    assert remote == {}


def test_build__leaves_its_input_untouched(offline_build: dict[str, Any]) -> None:
    assert snapshot(offline_build["data"]) == offline_build["before"]
