"""Which headings name a list of follow-ups ('Action items', 'Remediation', 'What we're doing
about it'), which never do (reflections, the response, the report's own name), and which say
their items are done or still planned."""

from __future__ import annotations

import re

ACTION_HEADING = re.compile(
    r"\baction|remediat|follow[- ]?ups?\b|improvements?\b|prevention|preventive|"
    r"\bfuture (?:measures|work|plans|changes|steps)\b|"
    r"\bprevent\w*\b.*\b(?:again|recur\w*|happen\w*|future)\b|next steps|corrective|"
    r"\bplanned\b|\bto-?dos?\b|what we(?:['’]re| are| will be) doing|\bfixes\b|"
    r"long[- ]term|\bsolutions?\b|resolution and recovery", re.I)
"""Headings of sections that list what will change, whatever a team calls them."""
NOT_ACTIONS = re.compile(r"lessons?|learn|went (?:well|poorly|wrong)|takeaway|insight|"
                         r"what should you do|impact|timeline|lucky|"
                         r"\b(?:after|post)[- ]action (?:report|review)|call to action|"
                         r"\bactions? taken\b", re.I)
"""Headings that are not lists of actions: reflections; a report's own name ('After-action
report' heads the whole write-up: its action items are found under their own heading); what
was done to end the incident ('Action Taken', the response); advice to readers ('Call to
action')."""
DONE_HEADING = re.compile(r"\b(completed?|done|finished|implemented)\b", re.I)
FUTURE_HEADING = re.compile(r"plan|progress|term\b|future|next|will|to do|todo|consider",
                            re.I)


def is_action_heading(title: str) -> bool:
    """Whether a heading (or a label written as one) names the follow-ups."""
    return bool(ACTION_HEADING.search(title)) and not NOT_ACTIONS.search(title)
