"""A digest lists exactly the lessons dated in its period, newest first."""

from __future__ import annotations

import datetime as dt
import random

from conftest import lesson_text
from lessonbook.analysis.analyse import analyse
from lessonbook.load.sources import Source
from lessonbook.model.options import Options
from lessonbook.site.digests import plan_digests


def test_each_digest_holds_the_lessons_of_its_period_and_no_other():
    rng = random.Random(4)
    start = dt.date(2022, 1, 1)
    sources = []
    for i in range(120):
        day = start + dt.timedelta(days=rng.randrange(0, 3 * 365))
        kind = rng.choice(["postmortem", "near-miss", "aar", "checklist"])
        front = {"id": f"x-{i}", "title": f"Lesson {i}", "type": kind, "date": day.isoformat()}
        if kind == "checklist":
            front["checklist"] = {"items": ["Check the certificate expiry"]}
        sources.append(Source(f"l/{i}.md", lesson_text(front).encode()))
    analysis = analyse(sources, Options(), build_date=dt.date(2025, 6, 1))
    lessons = [x for x in analysis.kb.lessons if x.kind != "checklist"]
    digests = plan_digests(analysis)
    assert digests
    seen = 0
    for digest in [d for q in digests for d in (q, *q.months)]:
        period = digest.period
        assert digest.lessons == [x for x in lessons if period.start <= x.date <= period.end]
        seen += len(digest.lessons)
    assert seen >= len(lessons)  # every lesson in its quarter (and maybe its month too)
