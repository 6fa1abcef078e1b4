"""A part of the search index is used only when it is whole.

CI once served a part whose ``pagefind-entry.json`` was empty: the Pagefind service had been
asked to write its own files, answered before its writes landed, and exited when its input
closed. Now the service hands the files back and Lessonbook writes them; and whatever writes a
part, ``incomplete`` reads it all back first. The property: a real bundle is whole, and the
same bundle with any one of its index files cut short at any length, or removed, is not.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook.site import pagefind_live
from lessonbook.site.pagefind_bundle import incomplete, write_bundle

DOCUMENT = ("<html lang='en'><body><main data-pagefind-body><h1>{title}</h1>"
            "<p data-pagefind-filter='kind'>postmortem</p>"
            "<p>The {word} certificate expired and the gateway refused {n} requests.</p>"
            "</main></body></html>")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bundle")
    live, why = pagefind_live.LiveIndex.start(folder, output=folder / "pagefind")
    assert live is not None, why
    for n, word in enumerate(["ingress", "payments", "queue", "replica", "canary"]):
        live.add(DOCUMENT.format(title=f"{word} {n}", word=word, n=n), f"/lessons/{word}/")
    result = live.finish()
    assert result.ok, result.message
    return folder / "pagefind"


def _index_files(bundle: Path) -> list[Path]:
    return sorted(p.relative_to(bundle) for p in bundle.rglob("*")
                  if p.suffix in (".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment"))


def test_a_bundle_the_service_handed_back_is_whole(bundle: Path) -> None:
    assert incomplete(bundle) is None
    assert {p.parts[0] for p in _index_files(bundle) if len(p.parts) > 1} == {
        "fragment", "index", "filter"}


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_bundle_with_any_index_file_cut_short_is_incomplete(
        bundle: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    copy = tmp_path_factory.mktemp("cut") / "pagefind"
    shutil.copytree(bundle, copy)
    victim = copy / data.draw(st.sampled_from(_index_files(bundle)), label="file")
    size = victim.stat().st_size
    victim.write_bytes(victim.read_bytes()[:data.draw(st.integers(0, size - 1), label="cut")])
    assert incomplete(copy) is not None


@pytest.mark.parametrize("name", ["pagefind-entry.json", "pagefind.js", "pagefind-worker.js",
                                  "fragment", "index", "filter"])
def test_a_bundle_missing_a_file_or_folder_is_incomplete(
        bundle: Path, tmp_path: Path, name: str) -> None:
    copy = tmp_path / "pagefind"
    shutil.copytree(bundle, copy)
    missing = copy / name
    if missing.is_dir():
        shutil.rmtree(missing)
    else:
        missing.unlink()
    assert incomplete(copy) is not None


def test_an_empty_entry_file_is_incomplete(bundle: Path, tmp_path: Path) -> None:
    copy = tmp_path / "pagefind"
    shutil.copytree(bundle, copy)
    (copy / "pagefind-entry.json").write_text("", encoding="utf-8")
    assert "pagefind-entry.json" in (incomplete(copy) or "")


@pytest.mark.parametrize("path", ["../outside.js", "/etc/outside.js", "fragment/../../x"])
def test_files_named_outside_the_bundle_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(ValueError, match="outside the bundle"):
        write_bundle([{"path": path, "content": ""}], tmp_path / "pagefind")
    assert not (tmp_path / "outside.js").exists()


def test_a_bundle_that_fails_half_way_has_no_entry_file(tmp_path: Path) -> None:
    """The entry file is written last: a folder that has one was finished."""
    files = [{"path": "pagefind-entry.json", "content": "e30="},
             {"path": "fragment/a.pf_fragment", "content": "eA=="},
             {"path": "index/b.pf_index", "content": "not base64!"}]
    with pytest.raises(ValueError):
        write_bundle(files, tmp_path / "pagefind")
    assert (tmp_path / "pagefind" / "fragment" / "a.pf_fragment").read_bytes() == b"x"
    assert not (tmp_path / "pagefind" / "pagefind-entry.json").exists()
