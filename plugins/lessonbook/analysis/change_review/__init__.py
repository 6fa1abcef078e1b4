"""`lessonbook review`: what the knowledge base already knows about the lessons a change adds
or edits, for the pull request, without building the site.

- ``findings.py``: the records a review is made of (what the formats print).
- ``reviewing.py``: the review itself, from the site's own analysis: similar incidents (the
  similarity index, focused on the reviewed lessons), repeats, the check's problems.
- ``registry_fit.py``: the adopted rules and checklists that fit a lesson; what it changes.
- ``cache.py`` and ``lesson_json.py``: each file's reading kept between runs, as JSON.

(``analysis/review.py`` is another thing: what is overdue on a day, for `lessonbook due`.)
"""

from .findings import ChangeReview, LessonReview
from .reviewing import review_analysis

__all__ = ["ChangeReview", "LessonReview", "review_analysis"]
