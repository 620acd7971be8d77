"""Keep freed tensor memory in the training process instead of handing it back to the OS.

glibc's malloc serves a large block (above about 128 KiB to 32 MiB, a threshold it moves
as it goes) with a fresh ``mmap`` and returns it to the kernel on ``free``. A CPU training
step allocates and frees the same activation and gradient buffers (the baseline's ReLU
output alone is 5.5 MB at batch 64) every step, so each step then page-faults its
buffers in again: about 2,700 page faults a step measured here, 4.7 ms a step with
them against 3.4 ms without (``bench/bench_speed_means.py``, "allocator"), and how many
depends on where the moving threshold happened to settle, so step times wander between
runs. Raising the mmap and trim thresholds keeps those blocks on the heap for reuse.

The cost: a process keeps the memory of its largest step until it exits, which a
training worker or a CLI run does anyway. The web server never trains, so it never calls
this. Other C libraries (macOS, musl) keep their own policy.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import platform

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h
MMAP_THRESHOLD = 1 << 30  # the most glibc accepts on 64-bit: blocks under 1 GiB come from the heap
TRIM_THRESHOLD = 1 << 30  # free heap top kept up to 1 GiB


@functools.lru_cache(maxsize=1)
def keep_freed_memory() -> bool:
    """Tell glibc to keep freed blocks under 1 GiB for reuse (once per process).
    True where it took effect."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(libc.mallopt(M_TRIM_THRESHOLD,
                                                                                         TRIM_THRESHOLD))
    except (OSError, AttributeError):
        return False
