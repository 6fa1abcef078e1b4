"""Compare two built sites page by page, ignoring whitespace between tags: the check that a
refactor or a speed-up changed no HTML or export. Prints each differing file with the first
lines that differ; exits 1 when anything differs.

    python benchmarks/html_diff.py site-before site-after
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

SUFFIXES = (".html", ".json", ".xml", ".css", ".js", ".svg")


def normalised(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"\s+", " ", re.sub(r">\s+<", "><", text))
    return text.replace("><", ">\n<").splitlines()


def compare(before: Path, after: Path, lines: int = 10) -> int:
    differing = 0
    files = sorted({p.relative_to(root) for root in (before, after) for p in root.rglob("*")
                    if p.is_file() and p.suffix in SUFFIXES and "pagefind" not in p.parts})
    for rel in files:
        a, b = before / rel, after / rel
        if not a.exists() or not b.exists():
            print(f"=== {rel}: only in {'after' if not a.exists() else 'before'}")
            differing += 1
            continue
        diff = list(difflib.unified_diff(normalised(a), normalised(b), lineterm="", n=0))
        if diff:
            differing += 1
            print(f"=== {rel}")
            print("\n".join(diff[2:2 + lines]))
    print(f"{differing} of {len(files)} files differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(compare(Path(sys.argv[1]), Path(sys.argv[2])))
