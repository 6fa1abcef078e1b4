"""The review's pull-request comment prints lesson text as text: whatever a title, an owner, a
follow-up, a rule or a tag holds, the rendered comment has no tag, link, mention, issue
reference or autolink that we did not write — rendered with python-markdown and, when
installed, with cmarkgfm (GitHub's own cmark, raw HTML allowed so the escaping is the only
defence)."""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook.analysis.analyse import analyse
from lessonbook.analysis.change_review import review_analysis
from lessonbook.cli.review_output.markdown import MARKER, format_markdown
from lessonbook.cli.review_output.markdown_escape import ZERO_WIDTH_SPACE, inert
from lessonbook.load.sources import Source
from lessonbook.model.options import Options

SITE = "https://lessons.example.com/"
HOSTILE = st.sampled_from([
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "@octocat", "@org/team",
    "#1", "org/repo#12", "[x](javascript:alert(1))", "![i](https://e.example/i.png)", "```",
    "~~~", "`code`", "|", "| a | b |\n|---|---|", "*", "**", "_", "\\", "&lt;", "&amp;",
    "&#60;", "<!--", "-->", "</details>", "<details open>", "</summary>", "</code>",
    "https://evil.example/x", "www.evil.example", "mailto:a@b.example", "a@b.example",
    "\n", "\r\n", "\t", "# ", "- ", "> ", "1. ", "2) ", "---", "===", "$x$", "$$", ":smile:",
    "<https://x.example>", "[a]: https://x.example", "[a][b]", "{#id}", "\u2028", "  ", "é",
    "x", " pool ", "<a href='https://evil.example'>", "javascript:alert(1)", "%3Cscript%3E",
])
TEXT = st.lists(HOSTILE, min_size=1, max_size=6).map("".join).filter(lambda s: s.strip())
ALLOWED = {"h3", "h4", "p", "code", "ul", "ol", "li", "strong", "a", "details", "summary",
           "sub"}


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.append((tag, attrs))

    def handle_comment(self, data):  # noqa: ANN001
        self.comments.append(data)

    def handle_data(self, data):  # noqa: ANN001
        self.text.append(data)


def renderers() -> list:
    found = [lambda text: markdown.markdown(text, extensions=["tables"])]
    try:
        import cmarkgfm
        from cmarkgfm.cmark import Options as CmarkOptions
    except ImportError:
        return found
    found.append(lambda text: cmarkgfm.github_flavored_markdown_to_html(
        text, options=CmarkOptions.CMARK_OPT_UNSAFE))
    return found


def hostile_review(title: str, owner: str, action: str, rule: str, tag: str) -> str:
    """Two similar postmortems carrying the text everywhere a comment can print it."""
    def lesson(i: int, date: str, extra: dict) -> Source:
        front = {"id": f"pm-{i}", "title": f"{title} pool exhausted {i}", "type": "postmortem",
                 "date": date, "services": ["checkout", tag], "tags": [tag, "pool"],
                 "teams": [owner], "failure_type": "complexity", "categories": ["capacity"],
                 "follow_ups": [{"action": action, "owner": owner, "due": "2025-01-01"}],
                 **extra}
        body = f"## Summary\n\nThe checkout pool was exhausted by retries. {title}\n"
        return Source(f"2025/pm-{i}.md", ("---\n" + yaml.safe_dump(front, allow_unicode=True)
                                          + "---\n" + body).encode())
    sources = [
        lesson(1, "2025-01-10", {"rules": [{"id": "rule-pool", "if": rule, "then": rule,
                                            "status": "adopted", "owner": owner}]}),
        lesson(2, "2025-03-10", {"rule_updates": [{"rule": "rule-pool", "change": "applied",
                                                   "note": rule}]}),
        *(Source(f"2024/other-{i}.md", (
            f"---\nid: other-{i}\ntitle: {topic} incident\ntype: postmortem\n"
            f"date: 2024-0{i + 1}-01\nservices: [{topic}]\n---\nThe {topic} went down.\n"
        ).encode()) for i, topic in enumerate(["search", "dns", "billing", "email", "cdn",
                                                "login"])),
    ]
    analysis = analyse(sources, Options(), build_date=dt.date(2025, 6, 1))
    review = review_analysis(analysis, {"2025/pm-2.md": "added", "2025/pm-1.md": None})
    review.site_url = SITE
    return format_markdown(review)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, owner=TEXT, action=TEXT, rule=TEXT, tag=TEXT)
def test_no_tag_link_or_mention_survives_in_the_comment(title, owner, action, rule, tag):
    comment = hostile_review(title, owner, action, rule, tag)
    assert "**Looks like a repeat**" in comment and "**Similar incidents**" in comment
    for render in renderers():
        page = Collector()
        page.feed(render(comment))
        for tag_name, attrs in page.tags:
            assert tag_name in ALLOWED, (tag_name, comment)
            for name, value in attrs:
                assert tag_name == "a" and name == "href" and value.startswith(SITE), attrs
        assert page.comments in ([], [MARKER[4:-3]])
        text = "".join(page.text)
        assert not re.search(r"@\w", text)  # no @mention
        assert not re.search(r"#\d", text)  # no #123 issue reference
        assert "://" not in text and "www." not in text.lower()  # nothing to autolink


@settings(max_examples=60, deadline=None)
@given(TEXT)
def test_escaped_text_renders_as_the_same_text(text):
    expected = " ".join(text.split())
    for render in renderers():
        page = Collector()
        page.feed(render(f"- {inert(text)}\n"))
        shown = "".join(page.text).replace(ZERO_WIDTH_SPACE, "").strip()
        assert " ".join(shown.split()) == expected, (render, inert(text))
        assert [tag for tag, _ in page.tags] == ["ul", "li"]


def test_the_hostile_comment_still_shows_the_review():
    comment = hostile_review("<img src=x onerror=alert(1)>", "@octocat", "[x](javascript:a)",
                             "```", "a|b")
    assert comment.startswith(MARKER)
    assert "**Looks like a repeat**" in comment
    assert html.escape("<img src=x onerror=alert(1)>") not in comment  # references, not &lt;
    assert "&#60;img src=x onerror=alert(1)&#62;" in comment


@pytest.mark.parametrize("base", ["javascript:alert(1)//", "https://x.example/\" onmouseover=",
                                  "ftp://x.example/", "https://x.example/a b/"])
def test_a_site_url_that_is_not_a_plain_http_address_gives_no_links(base):
    from lessonbook.cli.review_output.markdown_escape import safe_url

    assert safe_url(base, "2025/pm-1/") is None
