"""Third-party detection and true PDF redaction for subject access disclosures.

A pure library: it knows nothing of the web application, Flask or the database, so it can be
run from the command line (``python -m redaction``) and tested on its own.
"""
