"""Run every benchmark in this folder: ``python -m bench`` (``make bench``).

Each ``bench_*.py`` module has ``main(argv) -> int`` and prints its own figures as
ratios against a baseline measured in the same run. Slow ones (time to accuracy on
full datasets) are skipped unless named: ``python -m bench bench_time_to_accuracy``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import bench

SLOW = {"bench_time_to_accuracy", "bench_lr_find", "bench_transfer"}  # full-dataset training: only when named


def main(argv: list[str]) -> int:
    """``python -m bench [bench_a bench_b ...] [ARGS...]``: the named benchmarks (default: all
    but the slow ones), each given the arguments that are not benchmark names, so
    ``python -m bench bench_time_to_accuracy mnist`` measures MNIST alone."""
    names = [a for a in argv if a.startswith("bench_")]
    rest = [a for a in argv if not a.startswith("bench_")]
    names = names or [m.name for m in pkgutil.iter_modules(bench.__path__)
                      if m.name.startswith("bench_") and m.name not in SLOW]
    failed = []
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        start = time.perf_counter()
        code = importlib.import_module(f"bench.{name}").main(rest)
        print(f"--- {name}: exit {code}, {time.perf_counter() - start:.1f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"\nover budget or failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
