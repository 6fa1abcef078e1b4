"""Lessonbook: a knowledge base of lessons learned from incidents, reviews and experiments.

The package is a plain-Python domain core (parsing, validation, taxonomy, exports) with two thin
edges: the MkDocs plugin (``lessonbook.mkdocs_adapter``) and the command line
(``lessonbook.cli``).
Only the adapter imports MkDocs, so the core outlives any one site generator.
"""

__version__ = "0.1.0"
