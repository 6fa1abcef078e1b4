"""What the site shows: the page plan, views for templates, search documents, exports."""
