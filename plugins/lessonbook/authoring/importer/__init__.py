"""Turn plain Markdown postmortems (no front-matter) into lessons.

The body is kept byte for byte, except links to other imported files, which are pointed at their
new paths; a front-matter block is put in front of it, written with yaml.safe_dump so every value
is escaped, and records where the lesson came from (``imported_from``). Each file gets a report
of what was inferred and what could not be; one bad file never stops the others. Writes are
atomic and exclusive: never an overwrite unless asked (``force``); running twice changes
nothing.

Modules, one job each: ``document`` (headings, sections, plain text), ``dates``, ``stats``
(Stats section, services), ``titles``, ``follow_ups`` (with ``action_headings``: which
sections list them, ``marks``: how an item says it stands, ``tables``: action tables,
``announced``: plans listed in prose), ``services`` (with ``subjects``: what the title or
summary says failed), ``convert`` (one text → front-matter),
``foreign`` (front-matter a file already has), ``links`` (links between imported files) and
``writing`` (reports, the import of a set of files). What a source may be is
``authoring.import_sources``.
"""

from .convert import Converted, convert
from .document import Section, first_paragraph, is_meta_line, plain, sections
from .foreign import (
    ForeignFrontMatter,
    ForeignFrontMatterError,
    adopt_front_matter,
    existing_front_matter,
)
from .links import rewrite_links
from .writing import FileReport, import_files, render

__all__ = [
    "Converted", "FileReport", "ForeignFrontMatter", "ForeignFrontMatterError", "Section",
    "adopt_front_matter", "convert", "existing_front_matter", "first_paragraph",
    "import_files", "is_meta_line", "plain", "render", "rewrite_links", "sections",
]
