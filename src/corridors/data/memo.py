"""
Compute each measurement of a build once, however many products ask for it.

A build makes maps, figures, exports and reports from one atlas, and each of them asks
for the same country split, crossings, chainage and network. Inside :func:`one_build`,
functions decorated with :func:`per_build` remember their result for the arguments they
were given (equal values, or the same objects where they cannot be hashed, such as
DataFrames); outside it they compute every time, so the
library's functions stay plain functions for notebooks and tests.

The arguments are kept alive with the result, so an ``id`` is never reused while it is
a key. DataFrames are handed out as copies; other results (a network graph) are shared
and must not be changed by the caller.

Examples
--------
>>> calls = []
>>> @per_build
... def double(x):
...     calls.append(x)
...     return 2 * x
>>> box = [21]
>>> with one_build():
...     double(box), double(box)
([21, 21], [21, 21])
>>> len(calls)
1
>>> double(box), len(calls)
([21, 21], 2)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import pandas as pd

__all__ = ["one_build", "per_build"]

F = TypeVar("F", bound=Callable[..., Any])

_CACHE: ContextVar[dict[tuple[Any, ...], tuple[Any, Any]] | None] = ContextVar(
    "corridors_build_cache", default=None
)


@contextmanager
def one_build() -> Iterator[None]:
    """Remember :func:`per_build` results until the block ends (nested blocks share one)."""
    if _CACHE.get() is not None:
        yield
        return
    token = _CACHE.set({})
    try:
        yield
    finally:
        _CACHE.reset(token)


def _key(value: Any) -> Any:
    """Hashable values as themselves (with their type), anything else by identity."""
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    return (type(value), value)


def per_build(function: F) -> F:
    """Remember `function`'s result for the same arguments inside :func:`one_build`."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        cache = _CACHE.get()
        if cache is None:
            return function(*args, **kwargs)
        key = (
            function.__qualname__,
            tuple(_key(a) for a in args),
            tuple(sorted((k, _key(v)) for k, v in kwargs.items())),
        )
        if key not in cache:
            cache[key] = ((args, kwargs), function(*args, **kwargs))
        result = cache[key][1]
        return result.copy() if isinstance(result, pd.DataFrame) else result

    return wrapper  # type: ignore[return-value]
