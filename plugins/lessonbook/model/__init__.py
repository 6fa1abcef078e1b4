"""What a lesson is: the record model, the kinds, the front-matter fields, the vocabularies,
options and problems."""
