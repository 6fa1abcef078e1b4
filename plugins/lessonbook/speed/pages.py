"""Memory pages for a short command that allocates a lot: small ones.

numpy asks the kernel for transparent huge pages on every large array (madvise). Where the
kernel compacts memory to find them when a page is first touched (THP ``defrag`` set to
``madvise``, as on the benchmark machine), each fresh array costs that compaction: at 10,000
lessons `lessonbook review` spent 2-3 s of system time in page faults, as much as the work
itself (docs/performance.md has the figures). A run of a few seconds gains nothing from huge
pages' fewer TLB misses, so the commands that do numpy work on every lesson turn the madvise
off, through numpy's own documented switch, before numpy is imported. A user who wants huge
pages sets ``NUMPY_MADVISE_HUGEPAGE=1``; that is never overridden.
"""

from __future__ import annotations

import os
import sys


def prefer_small_pages() -> bool:
    """Turn numpy's huge-page madvise off for this process, unless the user chose, or numpy
    is already imported (then it has read its setting). True when it took effect."""
    if "numpy" in sys.modules or "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        return False
    os.environ["NUMPY_MADVISE_HUGEPAGE"] = "0"
    return True
