"""Audience builds: a site for an audience holds only the lessons it may read.

A lesson's ``visibility`` (public < internal < restricted) is compared with the build's
``audience``; a lesson above it is left out of everything the build writes. Leaving a lesson out
is done here, once, on the knowledge base every later step reads (registry, taxonomy, similar
lessons, search, exports), so no step can forget it: references to a left-out lesson (``related``,
rule updates, checklist sources and change logs, what a follow-up produced) are removed from the
copies of the lessons that stay, and links to it in page bodies lose their target
(:func:`unlink_hidden`). Attachments (images, PDFs, any file that is not a page) that only
left-out pages refer to are left out with them (:func:`left_out_attachments`).
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from urllib.parse import unquote

from ..load.knowledge_base import KnowledgeBase
from ..model.lesson import FollowUp, Lesson
from ..model.problems import Problem, Severity
from ..model.vocabulary import VISIBILITIES

HIDDEN_TEXT = "a lesson not published on this site"
"""What a body link to a left-out lesson reads when its text would name that lesson."""


def rank(visibility: str) -> int:
    return VISIBILITIES.index(visibility) if visibility in VISIBILITIES else len(VISIBILITIES)


def visible(lesson: Lesson, audience: str) -> bool:
    return rank(lesson.visibility) <= rank(audience)


def for_audience(kb: KnowledgeBase, audience: str) -> tuple[KnowledgeBase, list[str]]:
    """The knowledge base an audience's site is built from, and the paths left out."""
    shown = [x for x in kb.lessons if visible(x, audience)]
    hidden = sorted(x.path for x in kb.lessons if not visible(x, audience))
    if not hidden:
        return kb, []
    ids = {x.id for x in shown}
    targets = ids | {rule.id for x in shown for rule in x.rules}
    kept = [_without_hidden(x, ids, targets) for x in shown]
    return KnowledgeBase(kept, kb.problems, kb.rejected, kb.settings), hidden


def _without_hidden(lesson: Lesson, ids: set[str], targets: set[str]) -> Lesson:
    """A copy of the lesson with every reference to a left-out lesson or its rules removed."""
    details = dict(lesson.details)
    if "sources" in details:
        details["sources"] = [s for s in details["sources"] if s in ids]
    if "changes" in details:
        details["changes"] = [c for c in details["changes"]
                              if not c.get("lesson") or c["lesson"] in ids]
    return dataclasses.replace(
        lesson,
        related=[x for x in lesson.related if x in ids],
        unrelated=[x for x in lesson.unrelated if x in ids],
        rule_updates=[u for u in lesson.rule_updates
                      if u.rule in targets and (u.by is None or u.by in targets)],
        follow_ups=[f if f.produces is None or f.produces in targets
                    else FollowUp(f.action, f.owner, f.due, f.status, None, f.line)
                    for f in lesson.follow_ups],
        details=details)


def visibility_problems(kb: KnowledgeBase) -> list[Problem]:
    """Warnings for references from a lesson to a lesson of higher visibility: the reference
    disappears from every site built for the lower audience."""
    by_id = kb.by_id
    rule_owner = {rule.id: x for x in kb.lessons for rule in x.rules}
    problems = []
    for lesson in kb.lessons:
        refs: list[tuple[tuple[str | int, ...], Lesson | None, str]] = []
        refs += [(("related", i), by_id.get(t), t) for i, t in enumerate(lesson.related)]
        refs += [(("rule_updates", i, "rule"), rule_owner.get(u.rule), u.rule)
                 for i, u in enumerate(lesson.rule_updates)]
        refs += [(("sources", i), by_id.get(s), s)
                 for i, s in enumerate(lesson.details.get("sources", []))]
        for path, target, name in refs:
            if target is not None and rank(target.visibility) > rank(lesson.visibility):
                problems.append(Problem(
                    lesson.path, lesson.line_of(*path), Severity.WARNING,
                    f"{path[0]} names {name!r}, which is {target.visibility} while this lesson "
                    f"is {lesson.visibility}: the reference is left out of {lesson.visibility} "
                    "sites", f"make {target.path} {lesson.visibility}, or remove the reference",
                    code="visibility-link"))
    return problems


_INLINE = re.compile(r"(!?)\[((?:[^\[\]\\]|\\.)*)\]\(\s*<?([^)\s>]+)>?(\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)<?(\S+?)>?(\s.*)?$", re.MULTILINE)


def unlink_hidden(markdown: str, page_path: str, hidden_paths: set[str],
                  names: Callable[[str], Iterable[str]]) -> str:
    """Markdown with links to left-out lessons turned into plain text. ``names(path)`` gives a
    left-out lesson's title and id: link text that is one of them (or the link's own target)
    becomes :data:`HIDDEN_TEXT`, so the page does not name a lesson its reader may not see."""
    if not hidden_paths or "](" not in markdown and "]:" not in markdown:
        return markdown
    base = posixpath.dirname(page_path)

    def target_of(url: str) -> str | None:
        if re.match(r"^[a-z][a-z0-9+.-]*:|^/|^#", url, re.IGNORECASE):
            return None
        path = posixpath.normpath(posixpath.join(base, url.split("#")[0].split("?")[0]))
        return path if path in hidden_paths else None

    def inline(match: re.Match[str]) -> str:
        image, text, url = match.group(1), match.group(2), match.group(3)
        target = target_of(url)
        if target is None or image:
            return match.group(0)
        plain = text.strip()
        told = {n.casefold() for n in names(target)} | {url.casefold(), target.casefold()}
        return HIDDEN_TEXT if not plain or plain.casefold() in told else text

    def reference(match: re.Match[str]) -> str:  # `[text][ref]` keeps its text, not its target
        return f"{match.group(1)}#" if target_of(match.group(2)) else match.group(0)

    return _REFERENCE.sub(reference, _INLINE.sub(inline, markdown))


# --- attachments ---------------------------------------------------------------------------
_REFERENCES = re.compile(
    r"\]\(\s*<?([^)\s>]+)"                                   # [text](url), ![alt](url)
    r"|^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)"                     # [ref]: url
    r"""|\b(?:src|href|data|poster)\s*=\s*["']([^"']+)["']""",  # raw HTML
    re.MULTILINE | re.IGNORECASE)


def referenced_files(text: str, page_path: str, files: Collection[str]) -> set[str]:
    """The docs-relative paths in ``files`` a page's text refers to (Markdown links and
    images, reference definitions, raw HTML ``src``/``href``). A relative reference is tried
    from the page's folder (how MkDocs resolves Markdown links) and from the folder of its URL
    (how a browser resolves raw HTML on ``a/b/`` for ``a/b.md``); one from the site root
    (``/img/x.png``) from docs_dir."""
    if "](" not in text and "]:" not in text and "=" not in text:
        return set()
    folder = posixpath.dirname(page_path)
    stem = posixpath.splitext(posixpath.basename(page_path))[0]
    bases = {folder, posixpath.join(folder, stem) if stem not in ("index", "README")
             else folder}
    found = set()
    for match in _REFERENCES.finditer(text):
        url = unquote((match.group(1) or match.group(2) or match.group(3)).split("#")[0]
                      .split("?")[0])
        if not url or re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.IGNORECASE):
            continue
        tries = [url.lstrip("/")] if url.startswith("/") else [
            posixpath.join(base, url) for base in bases]
        for path in tries:
            path = posixpath.normpath(path)
            if path in files:
                found.add(path)
    return found


def left_out_attachments(left_out: Mapping[str, str], published: Mapping[str, str],
                         files: Collection[str]) -> set[str]:
    """Of ``files`` (a site's attachments: images, PDFs, anything not a page), those that a
    left-out page refers to and no published page does. ``left_out`` and ``published`` map
    a page's docs-relative path to its text. An attachment of a lesson an audience may not
    read would otherwise be copied into its site; one a published page shows is that page's
    as much, so it stays."""
    wanted = set().union(*(referenced_files(t, p, files) for p, t in left_out.items()))
    if not wanted:
        return set()
    kept = set().union(*(referenced_files(t, p, wanted) for p, t in published.items()))
    return wanted - kept
