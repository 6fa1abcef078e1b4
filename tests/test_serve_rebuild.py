"""Under `mkdocs serve`, a rebuild after one edit renders only what the edit changed, serves
at once with the previous search index, and the site it serves is the site a fresh build
writes."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import lesson_text, write_site

BODY = ("## What happened\n\nThe {what} expired at {when} and every client of the {svc} "
        "service failed its TLS handshake. Renewal had been manual.\n\n"
        "## What we changed\n\nRenewal is automated and alerts fire thirty days ahead.\n")


def _lessons() -> dict[str, str]:
    out = {}
    for i, (what, svc) in enumerate([("certificate", "payments"), ("certificate", "ledger"),
                                     ("token", "payments"), ("certificate", "search"),
                                     ("signing key", "ledger"), ("certificate", "checkout")]):
        front = {"id": f"pm-{i}", "title": f"The {what} of {svc} expired", "type": "postmortem",
                 "date": f"2025-0{i + 1}-10", "summary": f"{svc} down: the {what} expired.",
                 "services": [svc], "tags": ["tls"]}
        out[f"2025/pm-{i}.md"] = lesson_text(front, BODY.format(what=what, when="02:00",
                                                                svc=svc))
    return out


def _html(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


class Session:
    """One `mkdocs serve` session: the config reloaded for every build, one plugin instance."""

    def __init__(self, config_file: Path, site_dir: Path) -> None:
        self.config_file, self.site_dir = config_file, site_dir
        self.plugin = self._config().plugins["lessonbook"]
        self.plugin.on_startup(command="serve", dirty=False)

    def _config(self):  # type: ignore[no-untyped-def]
        return load_config(str(self.config_file), site_dir=str(self.site_dir))

    def build(self) -> dict[str, bytes]:
        build(self._config(), serve_url="http://127.0.0.1:8000/")
        return _html(self.site_dir)

    @property
    def counts(self) -> tuple[int, int]:
        return self.plugin.session.pages.replayed, self.plugin.session.pages.rendered

    def close(self) -> None:
        self.plugin.on_shutdown()


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    # The folded "possibly related" tier links each of six lessons to nearly every other, so
    # any body edit would re-render every page: partial replay is shown without it (and
    # test_a_rebuild_with_possibly_related_links_serves_what_a_fresh_build_writes below).
    config = write_site(tmp_path, _lessons(), {"search": {"pagefind": False},
                                               "similar": {"possible": False}})
    started = Session(config, tmp_path / "served")
    yield started
    started.close()


def _fresh(session: Session, tmp_path: Path) -> dict[str, bytes]:
    """The first build of a new serve session (nothing carried over) into another folder."""
    session.close()
    fresh = Session(session.config_file, tmp_path / "fresh")
    try:
        return fresh.build()
    finally:
        fresh.close()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_without_changes_reuses_every_lesson_page_and_writes_the_same_site(session):
    first = session.build()
    assert session.counts == (0, 6)
    assert session.build() == first
    assert session.counts == (6, 0)


def test_a_rebuild_after_a_body_edit_serves_what_a_fresh_build_writes(session, tmp_path):
    session.build()
    _edit(tmp_path / "docs/2025/pm-2.md", "Renewal had been manual.",
          "Renewal had been manual. A certificate pinning library cached the old chain.")
    served = session.build()
    replayed, rendered = session.counts
    assert rendered >= 1 and replayed >= 1 and replayed + rendered == 6
    assert "certificate pinning library" in served["2025/pm-2/index.html"].decode()
    assert served == _fresh(session, tmp_path)


def test_a_rebuild_with_possibly_related_links_serves_what_a_fresh_build_writes(tmp_path):
    config = write_site(tmp_path, _lessons(), {"search": {"pagefind": False}})
    session = Session(config, tmp_path / "served")
    try:
        session.build()
        _edit(tmp_path / "docs/2025/pm-2.md", "Renewal had been manual.",
              "Renewal had been manual. A certificate pinning library cached the old chain.")
        served = session.build()
        assert served == _fresh(session, tmp_path)
    finally:
        session.close()


def test_editing_a_title_renders_every_lesson_page_that_could_show_it(session, tmp_path):
    session.build()
    _edit(tmp_path / "docs/2025/pm-1.md", "The certificate of ledger expired",
          "Ledger's certificate lapsed")
    served = session.build()
    assert session.counts == (0, 6)
    linking = [url for url, page in served.items() if url != "2025/pm-1/index.html"
               and url.startswith("2025/") and b"Ledger&#39;s certificate lapsed" in page]
    assert linking, "another lesson's similar list shows the new title"
    assert served == _fresh(session, tmp_path)


def test_editing_a_template_of_the_custom_dir_renders_the_pages_again(tmp_path):
    overrides = tmp_path / "overrides"
    (overrides / "lessonbook").mkdir(parents=True)
    template = overrides / "lessonbook" / "lesson.html"
    template.write_text('{% extends "main.html" %}{% block content %}<p>v1 {{ lesson.title }}'
                        '</p>{% endblock %}', encoding="utf-8")
    config = write_site(tmp_path, _lessons(), {"search": {"pagefind": False}},
                        {"theme": {"name": "material", "font": False,
                                   "custom_dir": str(overrides)}})
    session = Session(config, tmp_path / "served")
    try:
        session.build()
        template.write_text(template.read_text().replace("v1", "v2"), encoding="utf-8")
        stat = template.stat()
        os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        served = session.build()
        assert session.counts == (0, 6)
        assert "<p>v2 The token of payments expired</p>" in served["2025/pm-2/index.html"].decode()
    finally:
        session.close()


def test_a_normal_build_after_a_serve_session_reuses_nothing(session, tmp_path):
    session.build()
    session.close()
    config = load_config(str(session.config_file), site_dir=str(tmp_path / "built"))
    plugin = config.plugins["lessonbook"]
    plugin.on_startup(command="build", dirty=False)
    build(config)
    assert plugin.session.pages is None  # a plain build keeps no serve caches


def _words_in_index(site: Path) -> bytes:
    return b"".join(gzip.decompress(p.read_bytes()).lower()
                    for p in (site / "pagefind").rglob("*.pf_fragment"))


def test_a_rebuild_is_served_with_the_last_index_until_its_own_is_in_place(tmp_path):
    config = write_site(tmp_path, _lessons())
    session = Session(config, tmp_path / "served")
    try:
        session.build()
        site = session.site_dir
        assert b"zirconium" not in _words_in_index(site)
        _edit(tmp_path / "docs/2025/pm-3.md", "Renewal had been manual.",
              "Renewal had been manual; the zirconium host kept the old chain.")
        session.build()
        assert list((site / "pagefind").rglob("*.pf_fragment")), "served with an index at once"
        session.plugin.session.search.wait(timeout=120)
        assert b"zirconium" in _words_in_index(site)
        assert not list(site.glob(".pagefind-*")), "no staging folder left behind"
    finally:
        session.close()


def test_a_lesson_broken_then_fixed_during_a_session_is_served_as_a_fresh_build_serves_it(
        session, tmp_path):
    first = session.build()
    lesson = tmp_path / "docs/2025/pm-4.md"
    original = lesson.read_text(encoding="utf-8")
    lesson.write_text(original.replace("type: postmortem", "type: postmortum"), encoding="utf-8")
    broken = session.build()
    assert "2025/pm-4/index.html" not in broken, "a lesson with an error is left out"
    lesson.write_text(original, encoding="utf-8")
    assert session.build() == first


def test_an_edit_while_the_index_is_written_leaves_no_half_index_behind(tmp_path):
    config = write_site(tmp_path, _lessons())
    session = Session(config, tmp_path / "served")
    try:
        session.build()
        lesson = tmp_path / "docs/2025/pm-3.md"
        for n in range(3):  # each build cancels the index the one before is still writing
            _edit(lesson, "Renewal had been manual", f"Renewal had been manual ({n})")
            session.build()
        carry = session.plugin.session.search
        carry.wait(timeout=120)
        folder = carry.bundle.parent
        assert [p.name for p in folder.iterdir()] == [carry.bundle.name]
    finally:
        session.close()


# --- Lessonbook's own templates and the installed versions are in the replay key -------------
SERVE_SCRIPT = """
import json, os, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
import lessonbook

config_file, site_dir, change = sys.argv[1:4]
package = Path(lessonbook.__file__).parent
plugin = load_config(config_file, site_dir=site_dir).plugins["lessonbook"]
plugin.on_startup(command="serve", dirty=False)

def rebuild():
    build(load_config(config_file, site_dir=site_dir), serve_url="http://127.0.0.1:8000/")
    page = (Path(site_dir) / "2025/pm-2/index.html").read_text(encoding="utf-8")
    pages = plugin.session.pages
    return {"counts": [pages.replayed, pages.rendered], "edited": "lb-edited" in page}

first = rebuild()
if change == "template":
    template = package / "theme/lessonbook/lesson.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace('class="lb-lesson"', 'class="lb-lesson lb-edited"', 1),
                        encoding="utf-8")
elif change == "material":  # an upgrade: a newer distribution ahead on the path
    from importlib import metadata
    entry_points = metadata.distribution("mkdocs-material").read_text("entry_points.txt")
    info = package.parent / "mkdocs_material-99.0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\\nName: mkdocs-material\\n"
                                   "Version: 99.0.0\\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")  # finds the theme
print(json.dumps({"first": first, "again": rebuild()}))
plugin.on_shutdown()
"""


def _serve_with_a_copy_of_the_package(tmp_path: Path, change: str) -> dict:
    """A serve session in another process running a copy of Lessonbook, so its package
    templates can be edited (or a newer Material installed) between two builds."""
    import json
    import shutil
    import subprocess
    import sys

    import lessonbook

    packages = tmp_path / "packages"
    shutil.copytree(Path(lessonbook.__file__).parent, packages / "lessonbook",
                    ignore=shutil.ignore_patterns("__pycache__"))
    config = write_site(tmp_path, _lessons(), {"search": {"pagefind": False}})
    env = {**os.environ, "PYTHONPATH": str(packages), "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-c", SERVE_SCRIPT, str(config),
                           str(tmp_path / "served"), change], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_editing_a_template_of_the_package_during_serve_renders_the_pages_again(tmp_path):
    result = _serve_with_a_copy_of_the_package(tmp_path, "template")
    assert result["first"] == {"counts": [0, 6], "edited": False}
    assert result["again"] == {"counts": [0, 6], "edited": True}


def test_a_new_material_version_during_serve_renders_the_pages_again(tmp_path):
    result = _serve_with_a_copy_of_the_package(tmp_path, "material")
    assert result["again"]["counts"] == [0, 6]


def test_a_rebuild_with_nothing_changed_still_replays_with_a_copy_of_the_package(tmp_path):
    """The control for the two above: the copy itself does not defeat the cache."""
    result = _serve_with_a_copy_of_the_package(tmp_path, "nothing")
    assert result["again"]["counts"] == [6, 0]
