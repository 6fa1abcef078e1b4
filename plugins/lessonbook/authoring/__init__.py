"""Writing lessons: scaffolding, importing plain postmortems, the JSON Schema for editors."""
