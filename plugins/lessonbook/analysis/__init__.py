"""What the knowledge base means: taxonomy, similar lessons, the blameless lint and the
rules registry."""
