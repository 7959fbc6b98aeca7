r"""
Write data and scripts into rendered map HTML without any template engine.

folium renders its templates with Jinja; any text that passes through them is
interpreted a second time (``{{ 7*7 }}`` becomes ``49``). So data never goes into
a folium object: the skeleton is rendered first, then the functions here splice
JSON data blocks and the page's own scripts into the finished text with plain
string operations.

JSON inside ``<script type="application/json">`` is made inert by escaping every
``<``, ``>`` and ``&`` (so ``</script>`` and ``<!--`` cannot occur) and the line
separators U+2028/U+2029 as ``\uXXXX``; the page reads it back with
``JSON.parse(element.textContent)`` and builds text with DOM text nodes.

Pages are written in ASCII: every other character is escaped too, in JSON and
scripts as ``\uXXXX`` and in CSS as ``\XXXXXX``. The browser then decodes and
parses the page on its fast one-byte path (on the atlas, about 10 ms less
before the map is drawn) and the text it shows is unchanged.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

__all__ = ["ascii_js", "inject", "json_block", "json_text", "script_block", "style_block"]

_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _utf16_escape(match: re.Match[str]) -> str:
    units = match.group().encode("utf-16-be")
    return "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2))


def ascii_js(text: str) -> str:
    r"""
    Return JavaScript or JSON `text` with every non-ASCII character as ``\uXXXX``.

    The escape means the same character in a string, a regular expression, an
    identifier and a comment; characters beyond U+FFFF become surrogate pairs.

    Examples
    --------
    >>> print(ascii_js('"Baku → Karachi"; // 😀'))
    "Baku \u2192 Karachi"; // \ud83d\ude00
    """
    return _NON_ASCII.sub(_utf16_escape, text)


def _css_escape(match: re.Match[str]) -> str:
    return f"\\{ord(match.group()):06x}"


def json_text(value: Any) -> str:
    r"""
    Serialise `value` as compact, key-sorted JSON that is safe inside any HTML element.

    NumPy arrays are written as nested lists (orjson serialises them natively).

    Examples
    --------
    >>> print(json_text({"name": "</script><b>&", "a": 1}))
    {"a":1,"name":"\u003c/script\u003e\u003cb\u003e\u0026"}
    >>> print(json_text(["\u2028", "Fisher–Jenks"]))
    ["\u2028","Fisher\u2013Jenks"]
    """
    raw = orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY)
    text = raw.decode("utf-8").translate(_ESCAPES)
    return text if text.isascii() else ascii_js(text)


def json_block(block_id: str, value: Any) -> str:
    r"""
    Return a ``<script type="application/json">`` element holding `value`.

    Examples
    --------
    >>> print(json_block("cm-data-x", {"v": "<i>"}))
    <script type="application/json" id="cm-data-x">{"v":"\u003ci\u003e"}</script>
    """
    _check_code(block_id, "id")
    return f'<script type="application/json" id="{block_id}">{json_text(value)}</script>'


def _check_code(text: str, what: str) -> None:
    if not text.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"{what} must be letters, digits, - and _, got {text!r}")


def script_block(code: str) -> str:
    r"""
    Wrap the page's own JavaScript (never data) in a ``<script>`` element.

    Examples
    --------
    >>> print(script_block("var a = 1;"))
    <script>
    var a = 1;
    </script>
    """
    if "</script" in code.lower():
        raise ValueError("script code contains '</script'; it would end the element early")
    return f"<script>\n{ascii_js(code.strip())}\n</script>"


def style_block(css: str) -> str:
    """Wrap the page's own CSS (never data) in a ``<style>`` element."""
    if "</style" in css.lower():
        raise ValueError("CSS contains '</style'; it would end the element early")
    return f"<style>\n{_NON_ASCII.sub(_css_escape, css.strip())}\n</style>"


def _replace_once(html: str, marker: str, text: str, *, last: bool = False) -> str:
    count = html.count(marker)
    if count == 0 or (count > 1 and not last):
        raise ValueError(f"rendered map has {count} {marker!r}; expected exactly one")
    head, _, tail = html.rpartition(marker) if last else html.partition(marker)
    return head + text + marker + tail


def inject(html: str, *, head: list[str], body_end: list[str]) -> str:
    r"""
    Insert `head` before ``</head>`` and `body_end` just before the final ``</html>``.

    The rendered skeleton must contain no data, so the markers found are the
    template's own. Plain concatenation is used, so nothing in the inserted text
    is interpreted.

    Examples
    --------
    >>> print(inject("<html><head></head><body></body></html>", head=["<style></style>"],
    ...              body_end=["<script>go()</script>"]))
    <html><head><style></style>
    </head><body></body><script>go()</script>
    </html>
    """
    html = _replace_once(html, "</head>", "".join(f"{part}\n" for part in head))
    return _replace_once(html, "</html>", "".join(f"{part}\n" for part in body_end), last=True)
