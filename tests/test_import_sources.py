"""`lessonbook import` reads only regular files inside its sources, within a size limit, and
reports every file it does not import with the reason; driven through the CLI."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook.cli.main import main

MARKER = "OUTSIDE-MARKER-7f3a"
"""Written only in files outside the import source: it must never reach an output byte."""
PM = "# Database failover\n\n## Summary\n\nThe primary went away and nothing noticed.\n"
HANG_SECONDS = 20


@contextlib.contextmanager
def bounded(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail instead of hanging (opening a FIFO waits for a writer forever)."""
    def expire(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"import did not finish in {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str]:
    with bounded():
        code = main(["import", *args, "--config", str(root / "none.yml")])
    return code, capsys.readouterr().out


def report(capsys: pytest.CaptureFixture[str], root: Path, *args: str
           ) -> tuple[int, dict[str, dict]]:
    code, out = run(capsys, root, *args, "--format", "json")
    return code, {f["source"]: f for f in json.loads(out)["files"]}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the source holding a postmortem with the marker."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(f"# Secret\n\n## Summary\n\n{MARKER}\n")
    return folder


def written_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_a_link_leaving_the_source_is_reported_and_never_read(tmp_path, outside, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "passwd.md").symlink_to(outside / "secret.md")
    (src / "elsewhere").symlink_to(outside)
    code, out = run(capsys, tmp_path, str(src), "--out", str(tmp_path / "out"))
    assert code == 0
    assert f"skipped: {src / 'passwd.md'}\n  reason: symbolic link to " in out
    assert f"skipped: {src / 'elsewhere'}\n  reason: symbolic link to " in out
    assert MARKER not in out
    assert not (tmp_path / "out").exists()


def test_a_link_inside_the_source_is_not_followed_and_its_target_is_imported_once(tmp_path,
                                                                                   capsys):
    src = tmp_path / "src"
    (src / "2024").mkdir(parents=True)
    (src / "2024" / "failover.md").write_text(PM)
    (src / "latest.md").symlink_to("2024/failover.md")
    (src / "loop").symlink_to(".")
    code, files = report(capsys, tmp_path, str(src), "--out", str(tmp_path / "out"))
    assert code == 0
    assert files[str(src / "2024" / "failover.md")]["action"] == "written"
    assert "not followed" in files[str(src / "latest.md")]["reason"]
    assert "not followed" in files[str(src / "loop")]["reason"]
    assert [p.name for p in (tmp_path / "out").rglob("*.md")] == ["failover.md"]


def test_a_named_source_that_is_a_link_is_not_followed(tmp_path, outside, capsys):
    """A shell glob names every file of a folder, links included."""
    link = tmp_path / "passwd.md"
    link.symlink_to(outside / "secret.md")
    code, files = report(capsys, tmp_path, str(link), "--out", str(tmp_path / "out"))
    assert code == 0 and files[str(link)]["action"] == "skipped"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["pipe.md", "pipe"])
def test_a_fifo_is_skipped_and_the_import_does_not_hang(tmp_path, capsys, name):
    src = tmp_path / "src"
    src.mkdir()
    os.mkfifo(src / name)
    (src / "failover.md").write_text(PM)
    code, files = report(capsys, tmp_path, str(src), "--out", str(tmp_path / "out"))
    assert code == 0
    assert files[str(src / name)]["reason"] == \
        "a named pipe (FIFO), not a regular file; never opened"
    assert files[str(src / "failover.md")]["action"] == "written"


def test_a_named_fifo_is_skipped_too(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.md")
    code, out = run(capsys, tmp_path, str(tmp_path / "pipe.md"), "--out", str(tmp_path / "o"))
    assert code == 0 and "never opened" in out


def test_a_file_over_the_size_limit_is_skipped_with_a_message_naming_the_limit(tmp_path,
                                                                                capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "huge.md").write_text(PM + "x" * (6 * 1024 * 1024))
    (src / "small.md").write_text(PM)
    code, out = run(capsys, tmp_path, str(src), "--out", str(tmp_path / "out"), "--dry-run")
    assert code == 0
    assert (f"skipped: {src / 'huge.md'}\n  reason: 6.0 MB, over the size limit of 5 MB; "
            "--max-size raises the limit") in out
    assert f"would write: {src / 'small.md'}" in out


def test_max_size_sets_the_limit(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "failover.md").write_text(PM)
    code, files = report(capsys, tmp_path, str(src), "--out", str(tmp_path / "o"),
                         "--max-size", "50")
    assert files[str(src / "failover.md")]["action"] == "skipped"
    code, files = report(capsys, tmp_path, str(src), "--out", str(tmp_path / "o"),
                         "--max-size", "1KB")
    assert code == 0 and files[str(src / "failover.md")]["action"] == "written"


@pytest.mark.parametrize("value", ["0", "-5", "5 parsecs", ""])
def test_a_max_size_that_is_not_a_size_is_a_usage_error(tmp_path, capsys, value):
    with pytest.raises(SystemExit) as exit_:
        main(["import", str(tmp_path), "--out", str(tmp_path / "o"), "--max-size", value])
    assert exit_.value.code == 2
    assert "--max-size" in capsys.readouterr().err


def test_every_file_not_imported_is_listed_with_its_reason(tmp_path, capsys):
    src = tmp_path / "src"
    (src / ".git").mkdir(parents=True)
    (src / ".git" / "HEAD").write_text("ref: x\n")
    (src / ".draft.md").write_text(PM)
    (src / "diagram.png").write_bytes(b"\x89PNG\r\n")
    (src / "LICENSE").write_text("MIT License\n")
    (src / "broken.md").write_bytes(b"# Bad\n\xff\xfe\n")
    (src / "failover.md").write_text(PM)
    code, files = report(capsys, tmp_path, str(src), "--out", str(tmp_path / "out"))
    reasons = {Path(k).name: (v["action"], v["reason"]) for k, v in files.items()}
    assert reasons == {
        ".git": ("skipped", "hidden folder, not searched"),
        ".draft.md": ("skipped", "hidden file"),
        "diagram.png": ("skipped", "not Markdown (a .png file)"),
        "LICENSE": ("skipped", "not Markdown (no extension, and no heading at the top)"),
        "broken.md": ("failed", "cannot read as UTF-8 text: 'utf-8' codec can't decode byte "
                      "0xff in position 6: invalid start byte"),
        "failover.md": ("written", None)}
    assert code == 1


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_reason(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    Path(os.fsdecode(bytes(src) + b"/inci\xffdent.md")).write_text("no heading here\n")
    code, out = run(capsys, tmp_path, str(src), "--out", str(tmp_path / "out"))
    assert code == 0
    assert f"skipped: {src}/inci\\xffdent.md\n  reason: its name is not valid UTF-8" in out


def test_a_link_at_the_target_is_never_written_through(tmp_path, outside, capsys):
    """An existing name at the target, a link included, is left alone without --force; with
    --force the link itself is replaced, never the file it points to."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "secret.md").write_text(PM)
    out = tmp_path / "out"
    out.mkdir()
    (out / "secret.md").symlink_to(outside / "secret.md")
    before = (outside / "secret.md").read_bytes()
    code, files = report(capsys, tmp_path, str(src), "--out", str(out))
    assert files[str(src / "secret.md")]["reason"].startswith("target exists and differs")
    assert (out / "secret.md").is_symlink()
    report(capsys, tmp_path, str(src), "--out", str(out), "--force")
    assert not (out / "secret.md").is_symlink()
    assert (outside / "secret.md").read_bytes() == before
    assert MARKER.encode() not in written_bytes(out)


# --- the class: whatever a source folder holds -------------------------------------------------
LIMIT = 300
NAME = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
               min_size=1, max_size=20).filter(lambda n: n not in (".", "..")) | \
    st.sampled_from(["a.md", "PM2021-001 - x.md", "::error file=a.md::x.md", "%0A.md",
                     "\u202egnp.md", "e\u0301.md", "line\nbreak.md", "-rf.md", "#.md"])
KIND = st.sampled_from(["markdown", "extensionless", "empty", "binary", "near-limit",
                        "link-outside-file", "link-outside-folder", "link-inside", "loop",
                        "dangling", "fifo", "bad-name", "folder"])
ENTRY = st.tuples(st.lists(NAME, max_size=2), NAME, KIND, st.integers(-3, 3), st.binary(
    min_size=1, max_size=64))
SOURCES = st.lists(ENTRY, min_size=1, max_size=12)


def make(src: Path, outside: Path, parents: list[str], name: str, kind: str, delta: int,
         noise: bytes) -> Path | None:
    """One entry of a generated source; None when the name is taken or cannot be made."""
    folder = src.joinpath(*parents)
    path = folder / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(path):
            return None
        if kind == "bad-name":
            path = Path(os.fsdecode(os.fsencode(path) + b"\xff.md"))
        content = {"markdown": PM.encode(), "extensionless": PM.encode(), "empty": b"",
                   "binary": b"\x00\xff" + noise, "bad-name": PM.encode(),
                   "near-limit": (PM + "y" * (LIMIT + delta - len(PM))).encode()}.get(kind)
        if content is not None:
            path = path if kind == "extensionless" or path.suffix else path.with_name(
                path.name + ".md")
            if os.path.lexists(path):
                return None
            path.write_bytes(content)
        elif kind == "folder":
            path.mkdir()
        elif kind == "fifo":
            os.mkfifo(path)
        else:
            target = {"link-outside-file": outside / "secret.md", "dangling": src / "gone",
                      "link-outside-folder": outside, "loop": Path("."),
                      "link-inside": src}[kind]
            path.symlink_to(target)
    except OSError:  # a name too long, or a parent that is a file
        return None
    return path


def covered(path: Path, src: Path, files: dict[str, dict]) -> dict | None:
    """The report of ``path`` itself, or of the skipped folder it is in."""
    for candidate in [path, *path.parents]:
        found = files.get(printable(str(candidate)))
        if found is not None:
            return found
        if candidate == src:
            break
    return None


def printable(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(SOURCES, st.booleans())
def test_any_source_folder_imports_without_reading_outside_and_reports_every_skip(entries,
                                                                                   dry_run):
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        src, outside, out = root / "src", root / "outside", root / "out"
        src.mkdir()
        outside.mkdir()
        (outside / "secret.md").write_text(f"# Secret\n\n## Summary\n\n{MARKER}\n")
        made = [p for e in entries if (p := make(src, outside, *e)) is not None]
        args = ["import", str(src), "--out", str(out), "--max-size", str(LIMIT), "--format",
                "json", "--config", str(root / "none.yml")] + (["--dry-run"] * dry_run)
        with contextlib.redirect_stdout(buffer := io.StringIO()), bounded():
            code = main(args)
        assert code in (0, 1)
        document = json.loads(buffer.getvalue())
        files = {f["source"]: f for f in document["files"]}
        for path in made:
            entry = covered(path, src, files)
            if path.is_dir() and not path.is_symlink() and entry is None:
                continue  # a folder is reported through its files
            assert entry is not None, f"{path} is not in the report"
            if entry["action"] in ("skipped", "failed"):
                assert entry["reason"], entry
        assert code == (1 if any(f["action"] == "failed" for f in files.values()) else 0)
        assert MARKER not in buffer.getvalue()
        if out.exists():
            assert MARKER.encode() not in written_bytes(out)
            assert not [p for p in out.rglob("*") if p.is_symlink()]
        written = sum(f["action"] == "written" for f in files.values())
        on_disk = sum(p.is_file() for p in out.rglob("*.md")) if out.exists() else 0
        assert written == (0 if dry_run else on_disk)

