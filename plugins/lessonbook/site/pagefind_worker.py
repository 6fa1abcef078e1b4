"""The search index's parts written by a process of their own, while MkDocs renders the pages.

    python -m lessonbook.site.pagefind_worker JOB.json

``PartedIndex.write`` starts it once every search document is spooled (pagefind_parts.py).
It runs the steps the build would otherwise run in a thread — each part through its own
``pagefind --service`` (pagefind_live.py), the files it hands back written and read back
whole, the parts joined — and leaves the outcome as JSON at the job's ``result`` path, for
``PartedIndex.finish`` to read. Why a process: feeding the service and writing its files is
Python work; in MkDocs' process it took the interpreter lock from the page rendering, and the
rendering starved the service of documents in turn (at 10,000 lessons the build waited about
30 s for its index after the last page).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .pagefind_live import LiveIndex
from .pagefind_parts import PartedIndex, Spool


def run(job: dict[str, object]) -> dict[str, object]:
    """The job's index written; what ``finish`` reports."""
    counts = {int(k): int(n) for k, n in dict(job["counts"]).items()}  # type: ignore[call-overload]
    spool = Spool(Path(str(job["spool"])), counts)
    site_dir, executable = str(job["site_dir"]), str(job["executable"])

    def writer(folder: Path) -> LiveIndex:
        return LiveIndex(site_dir, executable, output=folder)

    index = PartedIndex.from_spool(Path(str(job["output"])), spool, writer, bool(job["join"]),
                                   int(str(job["pages"])), float(str(job.get("elapsed", 0))))
    result = index.index_here()
    return {"ok": result.ok, "message": result.message, "seconds": result.seconds,
            "part_count": index.part_count, "join_seconds": index.join_seconds}


def main(argv: list[str]) -> int:
    job = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    try:
        outcome = run(job)
    except Exception as exc:  # reported to the build, which then runs the Pagefind CLI
        outcome = {"ok": False, "message": f"pagefind failed: {exc}"}
    target = Path(job["result"])
    partial = target.with_name(target.name + ".part")
    partial.write_text(json.dumps(outcome), encoding="utf-8")
    os.replace(partial, target)  # whole or absent: finish never reads half a result
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
