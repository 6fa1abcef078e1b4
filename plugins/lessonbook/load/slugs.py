"""Ids and slugs: a lesson's default id from its file name, and bounded, readable slugs for
the file names and URLs made from any text (titles, tags, services)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import PurePosixPath

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

ID_MAX = 100
"""Longest id accepted: ids become file names (import) and anchors."""
SLUG_MAX = 60
"""Longest page slug in characters; it is also kept under SLUG_MAX_BYTES of UTF-8, so a file
name made from it fits every file system's 255-byte limit with room for a prefix."""
SLUG_MAX_BYTES = 160


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by '-'; '' when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def page_slug(text: str, max_chars: int = SLUG_MAX) -> str:
    """A readable, bounded slug for a file name or URL: Latin letters lose their accents, other
    scripts are kept (a Japanese tag gets a Japanese slug), anything else becomes '-'; '' when
    no letter or digit is left. A slug that has to be cut ends with a digest of the whole text,
    so two long values sharing a beginning still get different pages."""
    slug = _unicode_words(text)
    if len(slug) <= max_chars and len(slug.encode()) <= SLUG_MAX_BYTES:
        return slug
    digest = hashlib.sha1(text.encode()).hexdigest()[:8]
    return f"{_fit(slug, max_chars - len(digest) - 1)}-{digest}"


def _unicode_words(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue  # an accent on a Latin letter: café → cafe
        kept.append(char.lower() if char.isalnum() or unicodedata.category(char)[0] == "M"
                    else "-")
    return re.sub(r"-{2,}", "-", unicodedata.normalize("NFC", "".join(kept))).strip("-")


def _fit(slug: str, max_chars: int) -> str:
    """The slug cut to max_chars and SLUG_MAX_BYTES, at a '-' when one is near the end."""
    cut = slug[:max_chars]
    while len(cut.encode()) > SLUG_MAX_BYTES - 9:
        cut = cut[:-1]
    if "-" in cut[len(cut) // 2:] and len(cut) < len(slug) and slug[len(cut)] != "-":
        cut = cut.rsplit("-", 1)[0]
    return cut.strip("-")


def default_id(path: str) -> str:
    """The id of a lesson without `id:`: its file name when that is a valid id, else an ASCII
    slug of it; when letters are lost on the way (a Japanese file name), a digest of the name
    keeps it unique, so two such files never share an id."""
    stem = PurePosixPath(path).stem
    if ID_PATTERN.match(stem) and len(stem) <= ID_MAX:
        return stem
    ascii_slug = slugify(stem)
    lossless = sum(c.isalnum() for c in ascii_slug) >= sum(c.isalnum() for c in stem)
    if ascii_slug and lossless and len(ascii_slug) <= ID_MAX:
        return ascii_slug
    digest = hashlib.sha1(unicodedata.normalize("NFC", stem).encode()).hexdigest()[:10]
    return f"{ascii_slug[:ID_MAX - 11].strip('-') or 'lesson'}-{digest}"

