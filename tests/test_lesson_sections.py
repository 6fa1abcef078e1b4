"""Lesson page sections come from one list: the template loops over it and the table of contents
is built from it, so an override of lesson.html that loops keeps the two in step."""

from __future__ import annotations

import re

from conftest import build, lesson_text, write_site

LESSON = lesson_text({
    "title": "Pool exhaustion", "type": "aar", "date": "2025-01-02",
    "aar": {"intended": "Fail over", "happened": "It stalled"},
    "contributing_factors": ["Pool too small"],
    "follow_ups": [{"action": "Raise the pool", "owner": "SRE", "due": "2025-02-01"}],
})

OVERRIDE = """{% extends "main.html" %}
{% block content %}
<article class="my-lesson">
  <h1>{{ lesson.title }}</h1>
  {% set before, after = sections %}
  {% for section in before %}{% include section.template %}{% endfor %}
  {{ page.content | safe }}
  {% for section in after %}<div class="mine">{% include section.template %}</div>{% endfor %}
</article>
{% endblock %}
"""


def test_an_overridden_lesson_template_that_loops_keeps_every_toc_entry_on_the_page(tmp_path):
    config = write_site(tmp_path, {"2025/aar-1.md": LESSON},
                        extra_config={"theme": {"name": "material", "font": False,
                                                "custom_dir": "overrides"}})
    override = tmp_path / "overrides" / "lessonbook" / "lesson.html"
    override.parent.mkdir(parents=True)
    override.write_text(OVERRIDE, encoding="utf-8")
    site = build(config, strict=True)
    assert site.ok, site.log
    page = site.html("2025/aar-1/")
    assert 'class="my-lesson"' in page
    toc = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', page)
    assert {"the-four-questions", "contributing-factors", "follow-ups"} <= set(toc)
    for anchor in toc:
        assert f'id="{anchor}"' in page, anchor
