"""Shared by the benchmarks: the median wall time of a call."""

from __future__ import annotations

import statistics
import time


def median_ms(fn, repeat: int) -> float:
    """Median milliseconds of ``repeat`` calls of ``fn``, after one warm-up call (first calls allocate)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
