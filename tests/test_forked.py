"""Batches on Linux fork their processes directly: results in order, errors raised here, no process left behind."""

from __future__ import annotations

import os
import time

import pytest

from followup import batch
from followup.errors import FollowupError

pytestmark = pytest.mark.skipif(not batch.FORK, reason="batches fork their processes on Linux only")


def test_results_come_back_in_order_from_every_process() -> None:
    items = list(range(101))
    results = list(batch.run(lambda n: (n * n, os.getpid()), items, jobs=3))
    assert [square for square, _ in results] == [n * n for n in items]
    pids = {pid for _, pid in results}
    assert len(pids) == 3 and os.getpid() not in pids
    assert [pid for _, pid in results[:6]] == [pid for _, pid in results[:3]] * 2  # item i in process i % 3


def test_an_error_in_a_process_is_raised_here_as_it_was_raised() -> None:
    def work(n: int) -> int:
        if n == 17:
            raise ValueError(f"item {n} is bad")
        return n

    seen = []
    with pytest.raises(ValueError, match="item 17 is bad"):
        for n in batch.run(work, list(range(40)), jobs=2):
            seen.append(n)
    assert seen == list(range(17))


def test_a_process_that_dies_is_a_clear_error() -> None:
    def work(n: int) -> int:
        if n == 9:
            os._exit(3)
        return n

    with pytest.raises(FollowupError, match="ended before its work was done"):
        list(batch.run(work, list(range(20)), jobs=2))


def test_stopping_early_ends_the_processes_at_once() -> None:
    def work(n: int) -> tuple[int, int]:
        if n >= 8:
            time.sleep(60)
        return n, os.getpid()

    start = time.monotonic()
    results = batch.run(work, list(range(30)), jobs=2)
    first = [next(results) for _ in range(8)]
    assert [n for n, _ in first] == list(range(8))
    results.close()  # what a caller that stops reading (an error, a fatal template) does
    assert time.monotonic() - start < 10
    for pid in {pid for _, pid in first}:  # both processes ended and reaped: none running, no zombie
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
