"""A call made in a forked process gives what it gives here, and its errors are raised here."""

from __future__ import annotations

import threading

import pytest

from loaders.forked import ForkedCall


def _labels(n: int) -> list[str]:
    if n < 0:
        raise ValueError("no such labels")
    return [f"标签 {i}" for i in range(n)]


def test_a_forked_call_gives_the_same_result():
    with ForkedCall(_labels, 5000) as call:
        forked = call.forked
        assert call.result() == _labels(5000)
    assert forked or threading.active_count() > 1


def test_beside_other_threads_the_call_is_made_here():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with ForkedCall(_labels, 3) as call:
            assert not call.forked
            assert call.result() == _labels(3)
    finally:
        stop.set()
        other.join()


def test_an_error_in_the_child_is_raised_here():
    with ForkedCall(_labels, -1) as call, pytest.raises(ValueError, match="no such labels"):
        call.result()


def test_a_result_not_asked_for_does_not_keep_the_child():
    with ForkedCall(threading.Event().wait, 60) as call:
        child = call._child
    assert child is None or not child.is_alive()
