"""Administration of staff accounts and teams (administrators only)."""
