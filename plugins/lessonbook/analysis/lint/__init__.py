"""Blameless review, automated: warnings a reviewer would otherwise have to write by hand.

Validation says whether a lesson is well-formed; this module says whether it reads blameless and
is actionable. Every finding is a warning with a reason and a suggested rewrite, because the
author decides. Rules (codes):

- ``blame-cause``: "human error", "operator error", "carelessness" ... given as a contributing
  factor or under a root-cause / contributing-factors heading. Human error is where an
  investigation starts, not where it ends.
- ``blame-language``: a phrase from the configurable ``blame_words`` list anywhere in the
  narrative ("should have known", "negligent", "blame"); "failed to" only when a person is the
  subject ("she failed to", "the on-call engineer failed to"), so "the job failed to start" and
  "a failed deploy" pass.
- ``person-named``: an e-mail address or @handle in a follow-up/rule/risk/checklist owner or in
  the body's timeline or chat logs (those gathered into one warning, below), or an owner
  that looks like a person's name (two or three capitalised words with no role word, not a
  known team, not in ``allowed_names``).
- ``person-named`` also: people named in the narrative, cautiously: a capitalised name as the
  subject of what people do ("Emil notified the team", "Audun evaluated ...", "Ross was
  assigned") or a full name in brackets ("(Lloyd Middleton)"); tools, roles, teams,
  ``allowed_names`` and ordinary words (COMMON_WORDS, or a word the lesson writes in lower
  case: "First", "Cluster") are not names; with the @handles, personal addresses and chat
  speakers ("Katharine [8:27 AM]") of the timeline and chat logs (role mailboxes such as
  abuse@ are not people), one warning per lesson: an imported chat export names someone on
  every line.
- ``no-follow-ups``: a postmortem without follow-ups.
- ``follow-up-incomplete``: an open follow-up without an owner or a due date; for an imported
  lesson (``imported_from``), whose follow-ups are history, one warning for all of them.
- ``checklist-long``: a checklist section with far more than the 5-9 items that get read.

A rule without both "if" and "then" is already a validation error, so it is not repeated here.

Modules, one job each: options (what a site configures), keywords (the one-pass keyword
engine), vocabulary (the words and patterns the rules look for), phrases (the blame-language
phrases, found through their keywords), body (which body lines to read, and how), rules (the
rules, one lesson at a time), run (every lesson: the cache, early results, workers).
"""

from __future__ import annotations

from .options import DEFAULT_BLAME_WORDS, EarlyLint, LintOptions
from .run import lint_early, lint_lessons
from .vocabulary import BLAME_CAUSES, EMAIL, HANDLE, NOT_PEOPLE, PERSON_VERBS, ROLE_WORDS

__all__ = [
    "BLAME_CAUSES", "DEFAULT_BLAME_WORDS", "EMAIL", "HANDLE", "NOT_PEOPLE", "PERSON_VERBS",
    "ROLE_WORDS", "EarlyLint", "LintOptions", "lint_early", "lint_lessons",
]
