"""Safe HTML assembly: JSON data blocks, splicing, asset inlining and links."""

from __future__ import annotations

import json
import re

import pytest
from conftest import INJECTIONS

from corridors.maps.assets import LEAFLET_CSS_URL, UnknownAssetError, inline_assets, leaflet_css
from corridors.maps.features import web_link
from corridors.maps.html import inject, json_block, json_text, script_block


def test_json_text__escapes_markup_and_line_separators():
    text = json_text({"name": "</script><!-- & \u2028\u2029"})
    assert text == '{"name":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029"}'


@pytest.mark.parametrize("payload", INJECTIONS)
def test_json_block__round_trips_every_payload(payload):
    block = json_block("cm-data-x", {"name": payload})
    body = block.removeprefix('<script type="application/json" id="cm-data-x">')
    body = body.removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == {"name": payload}


def test_json_block__rejects_an_id_with_markup():
    with pytest.raises(ValueError, match="letters, digits"):
        json_block('x" onload="alert(1)', {})


def test_json_text__sorts_keys_for_stable_output():
    assert json_text({"b": 1, "a": [1.5, None]}) == '{"a":[1.5,null],"b":1}'


def test_script_block__refuses_code_that_would_close_the_element():
    with pytest.raises(ValueError, match="</script"):
        script_block("var s = '</SCRIPT>';")


def test_inject__inserts_text_verbatim_without_interpreting_it():
    page = "<html><head></head><body></body>\n<script>map()</script>\n</html>"
    payload = r"\1 \g<0> {{ 7*7 }} $& $1"
    out = inject(page, head=[payload], body_end=[payload])
    assert out.count(payload) == 2
    assert out.index("map()") < out.rindex(payload) < out.index("</html>")


def test_inject__requires_exactly_one_head():
    with pytest.raises(ValueError, match="expected exactly one"):
        inject("<html></html>", head=[], body_end=[])


def test_inline_assets__replaces_leaflet_css_with_data_uris():
    page = inline_assets(f'<head><link rel="stylesheet" href="{LEAFLET_CSS_URL}"/></head>')
    assert "<link" not in page and ".leaflet-container" in page
    assert re.findall(r"url\((?!data:|#)", leaflet_css()) == []


@pytest.mark.parametrize(
    "tag",
    [
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>',
        '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css"/>',
        '<script defer src="https://example.org/x.js"></script>',
    ],
)
def test_inline_assets__fails_on_an_unknown_url(tag):
    with pytest.raises(UnknownAssetError, match=r"cannot be inlined|does not recognise"):
        inline_assets(f"<head>{tag}</head>")


@pytest.mark.parametrize(
    ("reference", "link"),
    [
        ("https://www.dawn.com/news/1 (Dawn, 2014)", "https://www.dawn.com/news/1"),
        ("http://abc.az/az/news/5928", "http://abc.az/az/news/5928"),
        ("javascript:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("ftp://example.org/file", None),
        ('https://x.org/"onmouseover=alert(1)', None),
        ("Ministry of Energy, interview, 2024", None),
        ("", None),
    ],
)
def test_web_link__only_http_and_https_become_links(reference, link):
    assert web_link(reference) == link
