"""Stage 3, gather: search tasks, source connectors, documents, extraction and de-duplication."""
