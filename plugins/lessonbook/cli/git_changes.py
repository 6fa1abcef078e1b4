"""The files a git change adds, edits or removes, asked of git itself (`review --changed-from`).

The change is what a pull request shows: from where the branch left REF (their merge base) to
the working tree, so a commit not yet made and a new file not yet added count too, as an
author running the review before committing expects.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

STATUSES = {"A": "added", "C": "added", "M": "modified", "T": "modified", "R": "renamed"}


class GitError(Exception):
    """No git, not a repository, an unknown ref: a one-line message for the user."""


@dataclass
class Change:
    files: dict[Path, str] = field(default_factory=dict)
    """Absolute path → added | modified | renamed."""
    removed: list[Path] = field(default_factory=list)


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (--changed-from asks git what changed); "
                       "name the lesson files instead") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout.decode("utf-8", "surrogateescape")


def changed_files(cwd: Path, ref: str) -> Change:
    """What changed between ``ref``'s merge base with HEAD and the working tree."""
    try:
        top = Path(_git(cwd, "rev-parse", "--show-toplevel").strip())
    except GitError as exc:
        raise GitError(f"{cwd} is not in a git repository ({exc}); --changed-from needs one, "
                       "or name the lesson files instead") from None
    if ref.startswith("-"):
        raise GitError(f"{ref!r} is not a git ref")
    try:
        _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except GitError:
        raise GitError(f"unknown git ref {ref!r}: fetch it first (e.g. `git fetch origin "
                       f"{ref.split('/')[-1]}`; in GitHub Actions, check out with "
                       "fetch-depth: 0)") from None
    try:
        base = _git(top, "merge-base", ref, "HEAD").strip()
    except GitError:
        raise GitError(f"{ref!r} and HEAD have no common history to compare") from None
    change = Change()
    fields = _git(top, "diff", "--name-status", "-z", "--find-renames", "--no-ext-diff",
                  base, "--").split("\0")
    at = 0
    while at < len(fields) - 1:
        status = fields[at][:1]
        if status in ("R", "C"):
            new, at = fields[at + 2], at + 3
            change.files[top / new] = STATUSES[status]
        else:
            path, at = fields[at + 1], at + 2
            if status == "D":
                change.removed.append(top / path)
            elif status in STATUSES:
                change.files[top / path] = STATUSES[status]
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z")
    for path in filter(None, untracked.split("\0")):
        change.files.setdefault(top / path, "added")
    return change
