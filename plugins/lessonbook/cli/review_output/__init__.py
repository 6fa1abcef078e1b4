"""The formats of `lessonbook review`: text (terminal), markdown (a pull-request comment) and
json. Each reads the same records (analysis/change_review/findings.py) and escapes every user
string for where it lands."""

from .markdown import format_markdown
from .text import format_json, format_text

FORMATS = {"text": format_text, "markdown": format_markdown, "json": format_json}

__all__ = ["FORMATS"]
