"""The repository's own example knowledge base: strict build, reachability, architecture."""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from conftest import REPO, build

PACKAGE = REPO / "plugins" / "lessonbook"


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("example")
    config = out / "mkdocs.yml"
    text = (REPO / "mkdocs.yml").read_text()
    text = text.replace("docs_dir: lessons", f"docs_dir: {REPO / 'lessons'}")
    text = re.sub(r"^site_dir: .*$", f"site_dir: {out / 'site'}", text, flags=re.M)
    config.write_text(text)
    return build(config, strict=True)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


def test_the_example_site_builds_strictly(example_site):
    assert example_site.ok, example_site.log


def test_every_example_lesson_is_reachable_by_links_from_the_home_page(example_site):
    site = example_site.site
    seen, queue = set(), [""]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        path = site / url / "index.html" if url.endswith("/") or url == "" else site / url
        if not path.exists() or path.suffix != ".html":
            continue
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            target = urlparse(urljoin(f"http://x/{url}", href))
            if target.netloc == "x":
                queue.append(target.path.lstrip("/"))
    lessons = example_site.json("api/lessons.json")["lessons"]
    assert len(lessons) >= 12
    assert {x["url"] for x in lessons} <= seen


def _toc_anchors(page: str) -> list[str]:
    start = page.find('md-nav--secondary')
    end = page.find("</nav>", start)
    return re.findall(r'href="#([^"]+)"', page[start:end]) if start >= 0 else []


def test_lesson_tables_of_contents_list_the_generated_sections_and_every_entry_resolves(
        example_site):
    with_follow_ups = {x["lesson_url"] for x in
                       example_site.json("api/follow-ups.json")["follow_ups"]}
    seen: set[str] = set()
    for lesson in example_site.json("api/lessons.json")["lessons"]:
        page = example_site.html(lesson["url"])
        anchors = _toc_anchors(page)
        for anchor in anchors:
            assert f'id="{anchor}"' in page, (lesson["url"], anchor)
        assert ("follow-ups" in anchors) == (lesson["url"] in with_follow_ups), lesson["url"]
        seen.update(anchors)
    assert {"the-four-questions", "how-it-nearly-happened", "pdsa-cycle", "rules-adopted",
            "similar-incidents", "rules-applied-or-changed"} <= seen


def test_the_example_covers_every_kind(example_site):
    kinds = {x["type"] for x in example_site.json("api/lessons.json")["lessons"]}
    assert {"postmortem", "aar", "near-miss", "premortem", "experiment"} <= kinds


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_domain_core_never_imports_mkdocs():
    core = [p for p in PACKAGE.rglob("*.py") if "mkdocs_adapter" not in p.parts]
    assert core
    offenders = [str(p.relative_to(PACKAGE)) for p in core
                 if {"mkdocs", "material"} & _imports(p)]
    assert offenders == []


def test_a_lesson_with_only_possibly_related_links_says_none_stands_out(example_site):
    import json
    lessons = json.loads((example_site.site / "api" / "lessons.json").read_text())["lessons"]
    for lesson in lessons:
        tiers = {x["tier"] for x in lesson["similar"]}
        if not tiers:
            continue
        page = example_site.html(lesson["url"])
        says = "None stands out as a close match" in page
        assert says == (tiers == {"possible"}), lesson["id"]
