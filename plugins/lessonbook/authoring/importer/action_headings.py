"""Which headings name a list of follow-ups ('Action items', 'Remediation', 'What we're doing
about it'), which never do (reflections, the response, the report's own name), and which say
their items are done or still planned."""

from __future__ import annotations

import re

ACTION_HEADING = re.compile(
    r"\baction|remediat|follow[- ]?ups?\b|improvements?\b|prevention|preventive|"
    r"\bfuture (?:measures|work|plans|changes|steps)\b|"
    r"\bprevent\w*\b.*\b(?:again|recur\w*|happen\w*|future)\b|next steps|corrective|"
    r"\bplanned\b|\bto-?dos?\b|^\W*to[- ]do\W*$|\bwhat (?:are|will) we (?:be )?(?:chang|do|fix|"
    r"improv)\w*|what we(?:['’]re| are| will be) doing|\bfixes\b|"
    r"long[- ]term|\bsolutions?\b|resolution and recovery|\bgoing forward\b|"
    r"\bwhat(?:['’]s| is| comes) next\b|"
    r"\bwhat we(?:['’]re| are| will(?: be)?|['’]ll|['’]ve| have)\s+(?:do(?:ing|ne)?|"
    r"chang\w*|improv\w*|fix\w*|learned and (?:will )?chang\w*)\b|"
    r"\bchanges?\s+(?:we(?:['’]re| are| will| have|['’]ve)?\s+)?(?:making|make|made)\b|"
    r"\bhow we(?:['’]ll| will| are going to| plan to| intend to)?\s+(?:prevent|avoid|stop|fix|"
    r"address)\b|"
    r"^\W*(?:open |follow[- ]?up |remaining |related )?(?:tasks|tickets|work items?)\W*$",
    re.I)
"""Headings of sections that list what will change, whatever a team calls them ('Going
forward', 'What's next', 'What we're changing', 'Changes we've made', 'How we'll prevent
this', 'Work items')."""
_NAMED_ACTIONS = re.compile(r"\baction items?\b|\bfollow[- ]?ups?\b|\bnext steps\b|"
                            r"\bremediation(?:s| items?| actions?)?\b|\bto-?dos?\b", re.I)
_NEVER_ACTIONS = re.compile(r"\b(?:after|post)[- ]action (?:report|review)|call to action|"
                            r"\bactions? taken\b|\btimeline\b", re.I)
"""A heading that names the follow-ups outright ('Lessons learned and action items') lists
them even beside a reflection's name; never a report's name, the response or a timeline."""
NOT_ACTIONS = re.compile(r"lessons?|learn|went (?:well|poorly|wrong)|takeaway|insight|"
                         r"what should you do|impact|timeline|lucky|"
                         r"\b(?:after|post)[- ]action (?:report|review)|call to action|"
                         r"\bactions? taken\b", re.I)
"""Headings that are not lists of actions: reflections; a report's own name ('After-action
report' heads the whole write-up: its action items are found under their own heading); what
was done to end the incident ('Action Taken', the response); advice to readers ('Call to
action')."""
DONE_HEADING = re.compile(r"\b(completed?|done|finished|implemented)\b", re.I)
FUTURE_HEADING = re.compile(r"plan|progress|term\b|future|next|will|to do|todo|consider|"
                            r"\bforward\b|['’]ll\b|going to|\bmaking\b|changing\b", re.I)


def is_action_heading(title: str) -> bool:
    """Whether a heading (or a label written as one) names the follow-ups."""
    if not ACTION_HEADING.search(title):
        return False
    if not NOT_ACTIONS.search(title):
        return True
    return bool(_NAMED_ACTIONS.search(title)) and not _NEVER_ACTIONS.search(title)
