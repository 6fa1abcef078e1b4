"""What failed, as the title or the summary says it: the component a postmortem is about.

Inference by spelling (services.py) takes a name only when it is written as one (KIAM,
CoreDNS, Traefik), so the components people write in lower case or name once — "Mail
outage", "Buildbot master currently off-line", "docs.rs outage", "the jira instance was
down" — were never services. Yet the title or summary already says they are what the
incident was about: they stand where a failure's subject stands. This module finds them:

* in the **title**, the words right before a failure word ("Mail outage", "Prow Flakiness",
  "Subversion master undergoing emergency maintenance": adverbs, modifiers such as partial
  or emergency, and the generic noun a component is called by, master, server, service,
  are passed over) or right after one and a preposition ("Parallel PUT problem in
  repository.apache.org", "Dropped logging in kibana");
* in the summary's first sentence, the subject of a failure ("the docs.rs website went
  down", "Prometheus was unavailable", "delays in mail delivery");
* a host name (``issues.example.org``, ``crates.io``) anywhere in the title or summary.

Nothing is invented: every name returned is written in the title or summary. The caller
still asks that the text names it again and that it is not the organisation or the
platform every file names.
"""

from __future__ import annotations

import re

HOST = re.compile(r"(?<![\w@.-])(?<![^/]/)(?:[a-z0-9][a-z0-9-]*\.)+(?:org|com|net|io|dev|rs|"
                  r"cloud|app|ai|co|gov|edu|info|sh|uk|eu|us|au|de|fr)(?![\w-])", re.I)
"""A host or site name (crates.io, issues.apache.org): what users reach, a component."""

_FAILURE = (r"outages?|down|downtime|unavailable|unavailability|unreachable|inaccessible|"
            r"unresponsive|offline|off-line|broken|breakage|crash(?:es|ed|ing)?|"
            r"crashloop(?:ing)?|failures?|failing|fails?|failed|degraded|degradation|slow|"
            r"slowness|slowdown|flakiness|flaky|errors?|erroring|issues?|problems?|"
            r"incidents?|interruption|disruption|maintenance|performance|stall(?:ed)?|stuck|"
            r"hangs?|hung|locked|lockup|overload(?:ed)?|exhaustion|exhausted|restart(?:s|ed)?|"
            r"rebooting|compromised?|breach|attack|vulnerability|vulnerabilities|bug|"
            r"regression|exploit|delays?|"
            r"delayed|lag|timeouts?|dies|died|surge|spike|flood|storm|saturation|pressure|"
            r"overflow|faults?|corruption|corrupted|full|latency|latencies|rates?|failover|"
            r"loss|lost|misconfigur(?:ation|ed)|evictions?|rejected|read-only|sealed|"
            r"expir(?:y|ed|ation)|deadlocks?|panics?|throttl(?:ed|ing)|[45]\d\ds?|[45]xx")
_FAILURE_WORD = re.compile(rf"^(?:{_FAILURE})$", re.I)
_KIND_OF_FLAW = re.compile(r"^(?:compromised?|breach|attack|vulnerability|vulnerabilities|bug|"
                           r"regression|exploit)$", re.I)
"""Failures whose word in front names their kind ("Inflation vulnerability", "XSS attack"),
not a component: only what follows them counts ("a vulnerability in mod_ssl")."""
_FLEET = frozenset(["services", "systems", "sites", "servers"])
"""'Acme.org services were down': every service of the organisation, not one of them."""
_PREPOSITION = frozenset(["of", "in", "on", "with", "for", "at", "to", "from", "via"])
_SKIP_TEXT = """
partial partially major minor brief emergency security widespread intermittent total complete
main primary secondary production prod staging live entire whole all some several multiple
many most certain reduced severe critical temporary unexpected unplanned sudden continued
repeated ongoing recent currently temporarily intermittently briefly again still being
undergoing experiencing having had has is was were are went became got been reported few
very too no not up out off over elevated increased high higher heavy investigating
background
"""
_SKIP = frozenset(_SKIP_TEXT.split())
"""Words between a component and its failure that say how, not what."""
_HEAD_TEXT = """
master server servers service services instance instances deployment deployments host hosts
machine machines site website websites web page pages system systems cluster clusters node
nodes hub hubs platform app application applications backend frontend endpoint endpoints
infrastructure infra environment box boxes component components stack dashboard
dashboards portal console consumer consumers producer producers subscriber subscribers queue
queues
"""
_HEAD = frozenset(_HEAD_TEXT.split())
"""Nouns a component is called by ("the Buildbot master", "the docs.rs website"): passed
over when a name stands in front of them, and never a service alone."""
_NOT_A_COMPONENT_TEXT = """
memory cpu cpus ram disk disks space storage quota quotas capacity traffic load latency
network networking connectivity resource resources certificate certificates cert certs key keys
password passwords token tokens account accounts user users customer customers data log logs
logging students student people metrics image images build builds file files delivery
requests request
release releases version versions update updates upgrade upgrades change changes deploy
deploys transaction transactions message messages upload uploads download downloads put
get post patch delete browser browsers client clients config configuration settings access
login logins session sessions job jobs test
tests query queries package packages pod pods container containers volume volumes report
post postmortem post-mortem review analysis retrospective rca incident outage problem issue
summary update today yesterday week weekend night morning afternoon evening time hours
minutes day days our the a an this that their its your we it they there some any no one two
three and or but if when while after before during because since about around approximately
supply-chain chain campaign phishing malware takeover exfiltration leak leaked mystery
start starts started startup launch launches spawn spawning pull push fetch sync syncing
retrieval selection creation provisioning scheduling scaling autoscaling eviction evictions
migration health check checks healthcheck healthchecks budget availability reliability
stability zone zones pool pools region regions loop admin admins processing ingestion
operation operations connection connections be been have do get make quorum
replication leader election
"""
_NOT_A_COMPONENT = frozenset(_NOT_A_COMPONENT_TEXT.split())
"""Words that stand where a component does but are a resource, a thing moved or a way of
telling ("Memory overload", "Slow performance for 25 % of traffic")."""
_VERB = re.compile(r"^[a-z]+(?:ing|ed)$|^(?:cause|causes|bring|brings|leave|leaves|kill|kills|"
                   r"swamp|swamps|saturate|saturates|refuse|refuses|respond|responds|hit|hits|"
                   r"does|do|did|make|makes|made|take|takes|took|direct|realize|realise|"
                   r"strand|strands|gives|give|throw|throws|lose|loses|lost)$")
"""A verb in lower case ("ingress-nginx caused", "users reporting"): the subject is not here."""
_WORD = re.compile(r"[A-Za-z0-9][\w.-]*[A-Za-z0-9]|[A-Za-z]")
_BREAK = re.compile(r"\s[-–—:|]\s|[,;:()\[\]!?]|\.\s|\.$|^\s*\d{4}-\d\d-\d\d")
_SUBJECT_VERB = re.compile(
    r"\s(?:was|were|is|are|had been|has been|became|got|went)\s+(?:\w+ly\s+)?(?:"
    r"down|offline|off-line|unavailable|unreachable|unresponsive|inaccessible|broken|"
    r"degraded|slow|failing|overloaded|stuck|compromised|(?:returning|throwing|serving) "
    r"(?:errors|[45]\d\ds?)|not (?:available|responding|"
    r"working|reachable|accessible))\b"
    r"|\s(?:\w+ly\s+)?(?:stopped (?:responding|working|serving)|failed|crashed|went down|"
    r"returned (?:errors|[45]\d\d)|timed out|ran out|errored|went read-only|backed up|"
    r"filled up|fell (?:over|behind)|stopped \w+ing|"
    r"sustained|suffered|experienced (?:an? )?(?:outage|issues?|problems?|failures?|"
    r"degraded|downtime|errors?|delays?))\b", re.I)


_OBJECT_OF_FAILURE = re.compile(
    r"\b(?:(?:could not|couldn't|cannot|can't|were unable to|was unable to|unable to|failed to)"
    r"\s+(?:reach|access|connect to|log in to|log into|sign in to|load|use|open|push to|"
    r"pull from|deploy to)|took down|brought down|knocked out|broke|crashed|overwhelmed|"
    r"took offline)\s+((?:[\w.-]+\s*){1,4})", re.I)
"""What a failure was done to: 'customers were unable to log in to ledgerhub', 'a bad push
took down ledgerproxy', 'an expired certificate broke ledgerapi'."""


def is_failure_word(word: str) -> bool:
    """Whether the word says something failed ('outage', 'down', 'degraded', '503')."""
    return bool(_FAILURE_WORD.match(word))


def _tokens(phrase: str) -> list[str]:
    return _WORD.findall(phrase)


def _name_before(words: list[str]) -> list[str]:
    """The component the words before a failure name: the last run of content words, with
    modifiers and a generic head noun passed over ("Subversion master" → Subversion)."""
    kept: list[str] = []
    if words and words[-1].casefold() in _FLEET:
        return []
    for place, word in enumerate(reversed(words)):
        low = word.casefold()
        if place == 0 and low.endswith("ing") and _VERB.match(word):
            continue  # 'Prow responding slow': how it failed
        if (low in _SKIP or low.endswith("ly") and len(low) > 4
                or (low in _HEAD or low in _NOT_A_COMPONENT) and not kept):
            if kept:
                break
            continue
        # A verb ends the subject ("users reporting"); in front of a noun kept, a word in -ing
        # is part of it ("mailing list").
        if (low in _PREPOSITION or low in ("and", "&", "or") or _FAILURE_WORD.match(word)
                or _VERB.match(word) and not (kept and low.endswith("ing"))):
            break
        kept.insert(0, word)
        if len(kept) == 2:
            break
    return _components(kept)


def _name_after(words: list[str]) -> list[str]:
    """The component a preposition after a failure names ("problem in repository.example.org
    with Maven"): the first run of content words."""
    kept: list[str] = []
    for word in words:
        low = word.casefold()
        if (low in _SKIP or low in ("the", "a", "an", "our") or re.match(r"^\d", word)
                or low.endswith("ly") and len(low) > 4):
            if kept:
                break
            continue
        if (low in _PREPOSITION or low in ("and", "&", "or") or _FAILURE_WORD.match(word)
                or _VERB.match(word) or low in _HEAD):
            break
        kept.append(word)
        if len(kept) == 2:
            break
    return _components(kept)


_REGION = re.compile(r"^[a-z]{2,6}-[a-z]+-?\d+(?:-?[a-z])?$", re.I)
"""A cloud region or zone (eu-west-2a, us-central1-a, europe-west2): where, not what."""


def _components(words: list[str]) -> list[str]:
    """The component the words name: a host name alone, else the words that can name one
    as one phrase ("Feature Flags"), the others left out."""
    out = [w for i, w in enumerate(words) if w.casefold() not in _NOT_A_COMPONENT
           and not _REGION.match(w) and not re.match(r"^v?\d", w, re.I)
           and not (w.casefold() in _HEAD and i == len(words) - 1)]  # 'Platform Views' kept
    if all(w.casefold() in _HEAD for w in out):
        return []
    hosts = [w for w in out if HOST.fullmatch(w)]
    return hosts or ([" ".join(out)] if out else [])


def title_subjects(title: str) -> list[str]:
    """The components the title says failed, in the order it names them."""
    found: list[str] = []
    for part in _BREAK.split(title):
        words = _tokens(part)
        for i, word in enumerate(words):
            if not _FAILURE_WORD.match(word):
                continue
            if not _KIND_OF_FLAW.match(word):
                found += _name_before(words[:i])
            if i == 0 and i + 1 < len(words) and not _FAILURE_WORD.match(words[1]):
                found += _name_after(words[1:])  # 'Delayed notifications', 'Broken X'
            # 'outage of X', 'problem reported in X', 'loss of metrics in Prometheus': the
            # first phrase after a preposition that names a component.
            rest = words[i + 1:]
            if rest and _VERB.match(rest[0]):
                rest = rest[1:]
            while rest and rest[0].casefold() in _PREPOSITION:
                named = _name_after(rest[1:])
                found += named
                later = [j for j, w in enumerate(rest[1:4], 1)
                         if w.casefold() in _PREPOSITION]
                if named or not later:
                    break
                rest = rest[later[0]:]
    found += HOST.findall(title)
    # A host the title names is where the failure was ("Parallel PUT problem in
    # repository.example.org"): before the words that say how it failed.
    return sorted(dict.fromkeys(found), key=lambda w: not HOST.fullmatch(w))


def summary_subjects(summary: str) -> list[str]:
    """The components the summary's first sentence says failed: the subject of a failure
    ("the docs.rs website went down"), what a failure happened in ("delays in mail
    delivery"), and any host it names."""
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", summary.strip(), maxsplit=1)[0]
    first = re.sub(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>|['’]s\b", " ", first)
    found: list[str] = []
    for match in _SUBJECT_VERB.finditer(first):
        before = re.split(r"[,;:]\s|\b(?:that|which|who|when|after|because|and)\b",
                          first[:match.start()])[-1]
        # The subject comes before what qualifies it: "the mailing list server at Acme".
        found += _name_before(_tokens(re.split(r"\b(?:at|in|of|on|for|from|with)\s",
                                               before)[0]))
    for match in re.finditer(rf"\b(?:{_FAILURE})\s+(?:in|of|with|on|for|to|from|at)\s+"
                             r"((?:[\w.-]+\s*){0,3})", first, re.I):
        found += _name_after(_tokens(match.group(1)))
    for match in _OBJECT_OF_FAILURE.finditer(first):  # 'could not reach X', 'took down X'
        found += _name_after(_tokens(match.group(1)))
    found += HOST.findall(first)
    return list(dict.fromkeys(found))
