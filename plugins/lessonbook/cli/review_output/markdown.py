"""`lessonbook review --format markdown`: one pull-request comment, the most useful first.

Per lesson: a repeat and the earlier incident's unfinished follow-ups, the adopted rules that
apply, the similar incidents with their one-line why, errors; then, folded in <details>, the
rest (all follow-ups, more rules, checklists, what the lesson changes, warnings). Pages are
linked on the published site when mkdocs.yml sets site_url, with the site's own page URLs.
Every user string goes through :func:`markdown_escape.inert`.
"""

from __future__ import annotations

from ...analysis.change_review.findings import (
    Applicable,
    ChangeReview,
    LessonReview,
    SimilarIncident,
)
from ...model.lesson import Lesson
from ...site.pages import page_url
from ...site.registry_pages import RULES_PAGE
from .markdown_escape import inert, inert_code, link, safe_url
from .wording import change_line, follow_up_line, months_between, summary_line

MARKER = "<!-- lessonbook-review -->"
"""The hidden line a workflow finds its own comment by (to update it, never add another)."""
SHOWN_RULES = 3
SHOWN_FOLLOW_UPS = 4


def format_markdown(review: ChangeReview) -> str:
    out = [MARKER, "### Lessonbook review", "", inert(summary_line(review)) + _base(review), ""]
    for item in review.lessons:
        out.extend(_lesson(item, review))
    if review.removed:
        out.append("Removed: " + ", ".join(inert_code(p) for p in review.removed))
        out.append("")
    out.append(f"<sub>Judged as of {review.date.isoformat()} against what a site for the "
               f"{inert(review.audience)} audience shows; repeat window "
               f"{review.window_months} months.</sub>")
    return "\n".join(out).rstrip() + "\n"


def _base(review: ChangeReview) -> str:
    return "" if not review.base or not review.lessons else f" (since {inert_code(review.base)})"


def _lesson_link(lesson: Lesson, review: ChangeReview) -> str:
    url = safe_url(review.site_url, page_url(lesson.path, review.use_directory_urls))
    return link(inert(lesson.title), url)


def _lesson(item: LessonReview, review: ChangeReview) -> list[str]:
    status = f", {inert(item.git_status)}" if item.git_status else ""
    out = [f"#### {inert(item.title)}", "", f"{inert_code(item.display_path)}{status}", ""]
    if item.note:
        out += [inert(item.note), ""]
    folded: list[tuple[str, list[str]]] = []
    for repeat in item.repeats:
        earlier = repeat.earlier
        when = months_between(earlier.date, item.lesson.date) if item.lesson else ""
        out.append(f"**Looks like a repeat** of {_lesson_link(earlier, review)} "
                   f"({earlier.date.isoformat()}{', ' + when if when else ''}). "
                   f"{inert(repeat.verdict)}")
        unfinished = repeat.unfinished
        out.extend(f"- {inert(follow_up_line(f, review.date))}"
                   for f in unfinished[:SHOWN_FOLLOW_UPS])
        out.append("")
        rest = [f for f in repeat.follow_ups if f not in unfinished[:SHOWN_FOLLOW_UPS]]
        if rest:
            folded.append((f"All follow-ups of {inert(earlier.id)} ({len(repeat.follow_ups)})",
                           [f"- {inert(follow_up_line(f, review.date))}"
                            for f in repeat.follow_ups]))
    if item.rules:
        out.append("**Rules already adopted that apply** — why did they not catch it?")
        out.extend(_fit(a, review) for a in item.rules[:SHOWN_RULES])
        out.append("")
        if len(item.rules) > SHOWN_RULES:
            folded.append((f"More rules that may apply ({len(item.rules) - SHOWN_RULES})",
                           [_fit(a, review) for a in item.rules[SHOWN_RULES:]]))
    confident = [x for x in item.similar if x.link.tier != "possible"]
    possible = [x for x in item.similar if x.link.tier == "possible"]
    if confident:
        out.append("**Similar incidents**")
        out.extend(_similar(number, x, review) for number, x in enumerate(confident, 1))
        out.append("")
    elif item.lesson is not None:
        out += ["No similar incident is close enough to link.", ""]
    if possible:  # folded, as the site folds them under "Possibly related"
        folded.append((f"Possibly related ({len(possible)})",
                       [_similar(number, x, review) for number, x in enumerate(possible, 1)]))
    errors = [p for p in item.problems if p.is_error]
    warnings = [p for p in item.problems if not p.is_error]
    if errors:
        out.append(f"**{len(errors)} error{'' if len(errors) == 1 else 's'}** "
                   "(the site leaves the lesson out until they are fixed)")
        out.extend(f"- {inert(p.format())}" for p in errors)
        out.append("")
    if item.checklists:
        folded.append((f"Checklists that apply ({len(item.checklists)})",
                       [_fit(a, review) for a in item.checklists]))
    if item.changes:
        folded.append((f"What this lesson changes in the registry ({len(item.changes)})",
                       [f"- {inert(change_line(c))}" for c in item.changes]))
    if warnings:
        folded.append((f"{len(warnings)} warning{'' if len(warnings) == 1 else 's'} from "
                       "<code>lessonbook check</code>",
                       [f"- {inert(p.format())}" for p in warnings]))
    for summary, lines in folded:
        out += ["<details>", f"<summary>{summary}</summary>", "", *lines, "", "</details>", ""]
    return out


def _similar(number: int, x: SimilarIncident, review: ChangeReview) -> str:
    return (f"{number}. {_lesson_link(x.lesson, review)} — {inert(x.lesson.kind_label)}, "
            f"{x.lesson.date_text}. {inert(x.why)}")


def _fit(item: Applicable, review: ChangeReview) -> str:
    if item.checklist is not None:
        name = link(inert(item.text), safe_url(
            review.site_url, page_url(item.checklist.lesson.path, review.use_directory_urls)))
        text = ""
    else:
        url = safe_url(review.site_url, page_url(RULES_PAGE, review.use_directory_urls),
                       f"rule-{item.id}")
        name = link(inert_code(item.id), url)
        text = f": {inert(item.text)}"
    done = f" (this lesson {inert(item.addressed)} it)" if item.addressed else ""
    return f"- {name}{text}{done} — {inert('; '.join(item.reasons))}"
