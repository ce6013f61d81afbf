"""Gathering: documents of a case, search tasks for record holders, connectors and de-duplication."""
