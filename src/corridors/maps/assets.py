"""
Inline the map pages' JavaScript, CSS and images so the HTML works with no network.

Leaflet comes from the ``django-js-lib-leaflet`` package (the Leaflet 1.9.4 dist,
read through :mod:`importlib.resources`, never copied into this repository); the
maps' own controls and layers are small scripts in ``corridors/maps/static``.
Every ``<script src>`` and ``<link href>`` that folium renders is replaced by the
file's content; a URL missing from :data:`KNOWN_ASSETS` stops the build with
:class:`UnknownAssetError`.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from corridors.maps.html import script_block, style_block

__all__ = [
    "KNOWN_ASSETS",
    "LEAFLET_CSS_URL",
    "LEAFLET_JS_URL",
    "UnknownAssetError",
    "inline_assets",
    "leaflet_css",
    "leaflet_js",
    "static_text",
]

LEAFLET_JS_URL = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"
LEAFLET_CSS_URL = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css"

#: Asset URLs the inliner can replace, mapped to what replaces them. folium 0.20's
#: own Leaflet 1.9.3 URLs are served the packaged 1.9.4 (a patch release).
KNOWN_ASSETS: dict[str, str] = {
    LEAFLET_JS_URL: "leaflet.js",
    LEAFLET_CSS_URL: "leaflet.css",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet.css",
}

_SCRIPT_SRC = re.compile(r'<script\s+src="([^"]*)"\s*>\s*</script>')
_LINK_HREF = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]*)"\s*/?>')
_ANY_REMOTE = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*"([^"]*)"', re.IGNORECASE)
_CSS_URL = re.compile(r"url\((images/[a-z0-9-]+\.png)\)")


class UnknownAssetError(RuntimeError):
    """A rendered map refers to a script or stylesheet this package cannot inline."""


def _leaflet_dist() -> Traversable:
    return resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"


@cache
def leaflet_js() -> str:
    """Return Leaflet's minified JavaScript, without its source-map comment."""
    text = (_leaflet_dist() / "leaflet.js").read_text(encoding="utf-8")
    return re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", text)


@cache
def leaflet_css() -> str:
    """
    Return Leaflet's CSS with its images written in as ``data:`` URIs.

    Examples
    --------
    >>> "url(images/" in leaflet_css(), "data:image/png;base64," in leaflet_css()
    (False, True)
    """
    dist = _leaflet_dist()

    def data_uri(match: re.Match[str]) -> str:
        png = (dist / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

    return _CSS_URL.sub(data_uri, (dist / "leaflet.css").read_text(encoding="utf-8"))


@cache
def static_text(name: str) -> str:
    """Return one of the maps' own files in ``corridors/maps/static``."""
    return (resources.files("corridors.maps") / "static" / name).read_text(encoding="utf-8")


def _asset(url: str, kind: str) -> str:
    name = KNOWN_ASSETS.get(url)
    if name is None:
        raise UnknownAssetError(
            f"the map template refers to {kind} {url!r}, which cannot be inlined; "
            "remove the folium feature that adds it or add the file to "
            "corridors.maps.assets.KNOWN_ASSETS from an installed package."
        )
    if name == "leaflet.js":
        return script_block(leaflet_js())
    return style_block(leaflet_css())


def inline_assets(html: str) -> str:
    """
    Replace every ``<script src>`` and stylesheet ``<link>`` in `html` by its content.

    Call it on the rendered folium skeleton only, before any data is written in.

    Raises
    ------
    UnknownAssetError
        If a URL is not in :data:`KNOWN_ASSETS`, or a script or link tag has a
        form this function does not recognise.

    Examples
    --------
    >>> page = inline_assets(f'<head><script src="{LEAFLET_JS_URL}"></script></head>')
    >>> "Leaflet 1.9.4" in page, "cdn.jsdelivr" in page
    (True, False)
    >>> inline_assets('<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>')
    Traceback (most recent call last):
    ...
    corridors.maps.assets.UnknownAssetError: the map template refers to script 'https://code.jquery.com/jquery-3.7.1.min.js', which cannot be inlined; remove the folium feature that adds it or add the file to corridors.maps.assets.KNOWN_ASSETS from an installed package.
    """
    html = _SCRIPT_SRC.sub(lambda m: _asset(m.group(1), "script"), html)
    html = _LINK_HREF.sub(lambda m: _asset(m.group(1), "stylesheet"), html)
    left = _ANY_REMOTE.search(html)
    if left:
        raise UnknownAssetError(
            f"the map template refers to {left.group(1)!r} in a tag the inliner does not "
            "recognise; it would load from the network."
        )
    return html
