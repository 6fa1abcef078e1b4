"""Files to lessons: reading sources, the one parse path, validation, the knowledge base."""
