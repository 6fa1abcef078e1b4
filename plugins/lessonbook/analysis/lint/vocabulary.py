"""The words and patterns the lint rules look for: blamed causes, person subjects, names,
roles, tools, headings; and the cause keywords that rule a text out in one pass."""

from __future__ import annotations

import functools
import re

from .keywords import _keyword, _Keywords

# Given as a cause, these end an investigation where it should start.
BLAME_CAUSES: tuple[str, ...] = (
    "human error", "operator error", "user error", "pilot error", "engineer error",
    "carelessness", "careless", "negligence", "lack of attention", "inattention",
    "not paying attention", "did not follow the process", "didn't follow the process",
)

_CAUSES = re.compile("|".join(rf"(?<![\w-]){re.escape(c)}(?![\w-])" for c in BLAME_CAUSES),
                     re.IGNORECASE)

# Subjects that make "failed to" about a person rather than a system.
_PERSON_SUBJECTS = (
    r"i|we|he|she|they|you|someone|somebody|nobody|no one|everyone|"
    r"(?:the |an? |our |their )?(?:[\w-]+ )?(?:engineer|engineers|operator|operators|developer|"
    r"developers|dev|devs|on-?call|responder|responders|reviewer|reviewers|author|admin|"
    r"administrator|person|people|staff|employee|contractor|manager|lead|sre|sres|human|team)"
)
_FAILED_TO = re.compile(rf"\b(?:{_PERSON_SUBJECTS}|@[\w-]+)\s+(?:had\s+|has\s+|have\s+)?"
                        r"failed\s+to\b", re.IGNORECASE)

_FAILED_TO_TAIL = re.compile(r"failed\s+to\b", re.IGNORECASE)
"""What ``_FAILED_TO`` cannot match without: a search of it costs ~1 µs, of ``_FAILED_TO``
(its person subjects tried at every word) ~45 µs; "failed" alone is common."""

EMAIL = re.compile(r"\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
HANDLE = re.compile(r"(?<![\w.@/`])@[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?\b(?![.@]\w)")
_NAME = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?:\s+[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?)"
                   r"{1,2}$")
_ROLE_TEXT = """
team teams squad group guild chapter tribe crew desk office council board committee rotation
lead leads captain manager management owner owners engineer engineers engineering commander
coordinator director head officer architect analyst admin administrator on-call oncall sre
platform ops operations support security reliability infrastructure infra data release
incident product service services network database storage payments billing checkout search
customer success legal finance marketing sales ux design qa quality vendor partner editor
"""
ROLE_WORDS = frozenset(_ROLE_TEXT.split())
"""Words that make an owner value a role or team rather than a person."""
TASK_ITEM = re.compile(r"^\s*[-*+]\s+\[[ xX]\]\s")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_CAUSE_HEADING = re.compile(r"root[- ]?causes?|contributing[- ]factors?|causes?|why\b",
                            re.IGNORECASE)
_INLINE_CODE = re.compile(r"`[^`]*`")
_TIMELINE_HEADING = re.compile(r"timeline|chronology|sequence of events", re.IGNORECASE)
_CHAT_HEADING = re.compile(r"\bchat\b|\bslack\b|transcript|\bmessages\b|\bthread\b|"
                           r"\blogs?\b.*#|#[\w-]+", re.IGNORECASE)
"""Sections that hold a chat export ('#testing-ops chat logs', 'Slack thread'): handles there
are people, as in a timeline."""
CHAT_SPEAKER = re.compile(r"^\s*>?\s*([A-Za-z][\w.-]{1,38})\s+\[(?:\d{1,2}:\d{2}(?::\d{2})?\s*"
                          r"[AaPp][Mm]|\d+ (?:minutes?|hours?|days?) ago)\]")
"""The speaker of a chat export's message ('Katharine [8:27 AM]', '> liggitt [6:27 AM]')."""
CHAT_SPEAKER_LITERALS = ("M]", "ago]")
"""What a CHAT_SPEAKER line cannot be without (the body prefilter reads lines with these)."""
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_NAME_WORD = rf"[{_UPPER}][{_LOWER}]{{2,}}(?:[-'][{_UPPER}]?[{_LOWER}]+)?"
PERSON_VERBS: tuple[str, ...] = (
    "notified", "informed", "told", "asked", "emailed", "called", "pinged", "messaged",
    "contacted", "evaluated", "discussed", "decided", "agreed", "joined", "acknowledged",
    "noticed", "looked for", "looked into", "looked at", "escalated", "reached out",
    *(f"{be} {done}" for be in ("was", "were")
      for done in ("assigned", "notified", "paged", "informed", "asked")),
)
"""What a person does after their name in "Emil notified the team" (tried in this order)."""
_PERSON_VERBS = "|".join(re.escape(verb) for verb in PERSON_VERBS)
_NAME_DOING = re.compile(rf"(?<![\w.@/-])({_NAME_WORD}(?:\s+{_NAME_WORD})?)\s+"
                         rf"(?:and\s+({_NAME_WORD})\s+)?(?:{_PERSON_VERBS})\b")
_NAME_IN_BRACKETS = re.compile(rf"\(({_NAME_WORD}\s+{_NAME_WORD})\)")
_NOT_PEOPLE_TEXT = """
we they he she it this that there these those someone somebody everyone everybody nobody
developer developers user users customer customers member members colleague colleagues people
person client clients partner partners vendor everything nothing something anyone staff
none all both each either neither many most some few several others another
slack email mail teams pagerduty opsgenie datadog grafana prometheus alertmanager sentry github
gitlab jenkins jira statuspage aws azure google kubernetes terraform argocd flux okta cloudwatch
monitoring alerting automation pipeline bot nagios zabbix splunk honeycomb
"""
NOT_PEOPLE = frozenset(_NOT_PEOPLE_TEXT.split())
"""Capitalised subjects of 'X notified Y' that are not people: pronouns, roles, tools."""

_COMMON_TEXT = """
a an the i you your yours me my mine us our ours him his her hers them their theirs its
first second third last next then later finally afterwards after before once soon eventually
initially meanwhile also again still now today yesterday tomorrow here only just even already
and but or so yet because since when while if although though however therefore thus
what which who whom whose why how where every any no not yes
employee employees cluster clusters issue issues community message messages view
alert alerts service server servers node nodes pod pods job jobs build builds deploy release
system systems application applications app apps account accounts admin administrator
ticket tickets request requests error errors incident incidents outage problem problems
investigation analysis update updates change changes fix fixes rollback restart
morning afternoon evening night day week weekend
"""
COMMON_WORDS = frozenset(_COMMON_TEXT.split())
"""Words common at the start of a sentence or in a chat export's buttons ('First', 'You',
'Cluster', 'Employee', 'View Message'): capitalised, they are still not names. Besides these,
a word the lesson itself writes in lower case is a common word, not a name."""
_ROLE_MAILBOX_TEXT = """
abuse security support admin administrator info noreply no-reply donotreply postmaster
hostmaster webmaster help helpdesk contact alerts alert notifications notify root privacy hr
it noc soc cert csirt psirt devops status hello ops oncall on-call sre incident incidents
billing sales legal press compliance dpo servicedesk service-desk feedback team group list
"""
ROLE_MAILBOXES = frozenset(_ROLE_MAILBOX_TEXT.split())
"""Local parts of addresses that reach a role, not a person (abuse@, security@)."""


def is_role_address(address: str) -> bool:
    """abuse@example.com, security@, binder-team@googlegroups.com: a role's or a group's
    mailbox, not a person's."""
    local, _, domain = address.lower().partition("@")
    parts = set(re.split(r"[.+_-]", local)) | {local}
    return bool(parts & (ROLE_MAILBOXES | ROLE_WORDS)) or domain.startswith(
        ("googlegroups.", "groups.", "lists."))

_CAUSE_KEYWORDS = _Keywords(filter(None, map(_keyword, BLAME_CAUSES)))
"""BLAME_CAUSES all start with a word: no text without one of these is a cause."""

@functools.cache
def _causes_starting(keywords: frozenset[str]) -> re.Pattern[str]:
    """``_CAUSES`` with only the causes whose keyword is in ``keywords``, in the same order.

    It finds what ``_CAUSES`` finds in a text where ``keywords`` are the keywords found: a
    cause matches only where its keyword is a whole word, which the keyword pass finds, so
    the causes left out match nowhere (searching all thirteen cost ~15 µs a line)."""
    return re.compile("|".join(rf"(?<![\w-]){re.escape(c)}(?![\w-])" for c in BLAME_CAUSES
                               if _keyword(c) in keywords), re.IGNORECASE)
