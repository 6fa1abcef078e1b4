"""The ``lessonbook`` plugin's options as MkDocs sees them, derived from the core's declaration.

Options are declared once, in ``model/options.py``; this class hands the raw mapping from
mkdocs.yml to :func:`parse_options`, so ``mkdocs build`` and ``lessonbook check`` reject the same
values with the same message. MkDocs prints errors as "Plugin 'lessonbook' option 'NAME':
MESSAGE" and, like any unknown option, fails ``--strict`` on the warnings.
"""

from __future__ import annotations

from mkdocs.config import base

from ..model.options import Options, parse_options


class LessonbookConfig(base.Config):
    """No schema of its own: validation is the core's (``_validate`` is MkDocs' hook for it)."""

    options: Options = Options()

    def _validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        options, problems = parse_options(dict(self))
        self.options = options
        errors: base.ConfigErrors = [(p.name, base.ValidationError(p.message))
                                     for p in problems if p.is_error]
        warnings: base.ConfigWarnings = [(p.name, p.message) for p in problems
                                         if not p.is_error]
        return errors, warnings
