"""The collector is paused or told to skip older objects only for the block, whatever happens."""

from __future__ import annotations

import gc
import weakref

import pytest

from corridors.data.collector import collector_paused, older_objects_frozen


class _Node:
    other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    """Make two objects that only refer to each other; return a weak reference to one."""
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_collector_paused__resumes_after_an_error_and_collects_what_was_left() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        left = _cycle()
        raise RuntimeError("stop")
    assert gc.isenabled()
    gc.collect()
    assert left() is None


def test_collector_paused__leaves_a_paused_collector_paused() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_older_objects_frozen__collects_new_cycles_and_unfreezes_after_an_error() -> None:
    older = _cycle()
    with pytest.raises(RuntimeError), older_objects_frozen():
        assert gc.get_freeze_count() > 0
        newer = _cycle()
        gc.collect()
        assert newer() is None  # made inside the block: collected as ever
        assert older() is not None  # frozen: left alone
        raise RuntimeError("stop")
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert older() is None
