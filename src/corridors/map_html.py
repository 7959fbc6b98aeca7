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
"""

from __future__ import annotations

from typing import Any

import orjson

__all__ = ["inject", "json_block", "json_text", "script_block", "style_block"]

_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_text(value: Any) -> str:
    r"""
    Serialise `value` as compact, key-sorted JSON that is safe inside any HTML element.

    NumPy arrays are written as nested lists (orjson serialises them natively).

    Examples
    --------
    >>> print(json_text({"name": "</script><b>&", "a": 1}))
    {"a":1,"name":"\u003c/script\u003e\u003cb\u003e\u0026"}
    >>> json_text(["\u2028"])
    '["\\u2028"]'
    """
    raw = orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY)
    return raw.decode("utf-8").translate(_ESCAPES)


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
    return f"<script>\n{code.strip()}\n</script>"


def style_block(css: str) -> str:
    """Wrap the page's own CSS (never data) in a ``<style>`` element."""
    if "</style" in css.lower():
        raise ValueError("CSS contains '</style'; it would end the element early")
    return f"<style>\n{css.strip()}\n</style>"


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
