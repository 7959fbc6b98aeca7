"""The fast JSON path (orjson) gives what the strict standard parser gives, or defers to it.

``decode_json`` reads with orjson first, and takes its document only when it can tell that
nothing was lost (no key twice, no integer beyond 64 bits). Every document, and every
problem message, must be the one the strict standard parser alone gives.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from corridors.data.geojson import _reject_constant, _unique_keys, decode_json

PATH = Path("doc.json")

_KEYS = st.sampled_from(["a", "b", "type", "a:b", ":", "name", "é", "k\u003a", "\\", '"'])
_TEXT = st.text(alphabet=st.sampled_from('ab: "\\é\u2028\x01\ud800'), max_size=6)
_NUMBER_TEXT = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(
        ["1e400", "-1e400", "NaN", "Infinity", "-0", "0.1", "1E2", "01", "1.", "2e-400"]
    ),
    st.just("1" + "0" * 25),
)


def _string(text: str, escape_colons: bool) -> str:
    written = json.dumps(text, ensure_ascii=False)
    return written.replace(":", "\\u003a") if escape_colons else written


@st.composite
def _documents(draw: Any, depth: int = 0) -> str:
    """JSON text, valid or not: duplicate keys, escaped colons, big numbers, bad constants."""
    kinds = ["number", "string", "literal"] + (["object", "array"] if depth < 3 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "number":
        return str(draw(_NUMBER_TEXT))
    if kind == "string":
        return _string(draw(_TEXT), draw(st.booleans()))
    if kind == "literal":
        return str(draw(st.sampled_from(["true", "false", "null"])))
    if kind == "array":
        items = draw(st.lists(_documents(depth + 1), max_size=4))
        return "[" + ", ".join(items) + "]"
    pairs = draw(st.lists(st.tuples(_KEYS, _documents(depth + 1)), max_size=4))
    space = draw(st.sampled_from(["", " ", "\n"]))
    return (
        "{"
        + ",".join(f"{space}{_string(k, draw(st.booleans()))}{space}:{space}{v}" for k, v in pairs)
        + "}"
    )


def _strict(raw: bytes) -> tuple[Any, list[str]]:
    """The strict standard parser alone, as decode_json was before its fast path."""
    try:
        return json.loads(
            raw.decode("utf-8"), parse_constant=_reject_constant, object_pairs_hook=_unique_keys
        ), []
    except ValueError as error:
        if isinstance(error, json.JSONDecodeError):
            reason = f" at line {error.lineno}, column {error.colno}: {error.msg}"
        else:
            reason = f": {error}"
        return None, [f"{PATH}: invalid JSON{reason} — fix the syntax."]


def _same(a: Any, b: Any) -> bool:
    """Equal, with the types kept (1 is not 1.0) and NaN-free floats compared exactly."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isinf(a):
        return a == b
    return bool(a == b)


@settings(max_examples=400, deadline=None)
@given(_documents())
def test_decode_json__the_fast_path_gives_what_the_strict_parser_gives(text: str) -> None:
    raw = text.encode("utf-8", "surrogatepass")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:  # a lone surrogate in the text itself: not UTF-8, refused first
        return
    document, problems = decode_json(PATH, raw, expected="JSON")
    expected, expected_problems = _strict(raw)
    assert problems == expected_problems
    assert _same(document, expected)


def test_decode_json__a_key_twice_is_named_whatever_the_parser() -> None:
    raw = b'{"features": [{"id": 1, "id": 2}]}'
    assert decode_json(PATH, raw, expected="JSON")[1] == [
        f"{PATH}: invalid JSON: key 'id' appears twice in one object; keep one — fix the syntax."
    ]


def test_decode_json__an_id_beyond_64_bits_stays_an_exact_integer() -> None:
    document, _ = decode_json(PATH, b'{"id": 123456789012345678901234567890}', expected="JSON")
    assert document == {"id": 123456789012345678901234567890}
    assert type(document["id"]) is int


def test_decode_json__a_colon_written_as_an_escape_does_not_hide_a_key_twice() -> None:
    raw = b'{"a": "\\u003a", "a": 1}'  # the escape makes up for the lost member's ':'
    assert "appears twice" in decode_json(PATH, raw, expected="JSON")[1][0]
