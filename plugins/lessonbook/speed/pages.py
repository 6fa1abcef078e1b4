"""Memory pages for a short command that allocates a lot: small ones, and kept once freed.

`lessonbook review` builds the similarity index's arrays (millions of word ids, several
copies, each tens of megabytes) once and exits. On the benchmark machine (a 2-core VM) the
first touch of a fresh page is expensive, and two defaults make every large array fresh:

- numpy asks for transparent huge pages on each large array (madvise); where the kernel
  compacts memory to find them on first touch (THP ``defrag`` set to ``madvise``), each array
  paid for that compaction: 2-3 s of system time per review at 10,000 lessons. A run of a few
  seconds gains nothing from huge pages' fewer TLB misses, so :func:`prefer_small_pages` turns
  the madvise off through numpy's own documented switch, before numpy is imported.
- glibc gives each allocation above its mmap threshold its own mapping and unmaps it on free,
  so the next array faults its pages in again. :func:`keep_freed_memory` has large blocks
  come from the heap and freed memory kept for the next one (glibc's ``mallopt``): half the
  page faults, about 0.5 s of system time.

Neither changes a value. A user's own ``NUMPY_MADVISE_HUGEPAGE``, ``MALLOC_MMAP_MAX_``,
``MALLOC_TRIM_THRESHOLD_`` or ``GLIBC_TUNABLES`` is never overridden; anything but glibc is
left alone. docs/performance.md has the figures.
"""

from __future__ import annotations

import ctypes
import os
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4
_KEEP_FREED = 1 << 30
"""Freed heap memory kept rather than returned to the kernel (bytes): a review's peak."""


def prefer_small_pages() -> bool:
    """Turn numpy's huge-page madvise off for this process, unless the user chose, or numpy
    is already imported (then it has read its setting). True when it took effect."""
    if "numpy" in sys.modules or "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        return False
    os.environ["NUMPY_MADVISE_HUGEPAGE"] = "0"
    return True


def keep_freed_memory() -> bool:
    """Large blocks from the heap, freed memory kept for the next (glibc only; the user's
    malloc settings win). Only in a fresh process: one that already imported numpy (a test
    run, a program calling the CLI in-process) keeps its allocator as it is. True when it
    took effect."""
    chosen = ("MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES")
    if (not sys.platform.startswith("linux") or "numpy" in sys.modules
            or any(name in os.environ for name in chosen)):
        return False
    try:
        libc = ctypes.CDLL(None)
        if not hasattr(libc, "gnu_get_libc_version"):
            return False  # not glibc: its allocator has other knobs
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_MAX, 0)) and bool(mallopt(_M_TRIM_THRESHOLD, _KEEP_FREED))
