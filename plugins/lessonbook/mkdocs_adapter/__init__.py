"""The MkDocs edge of Lessonbook: the only code that imports MkDocs."""
