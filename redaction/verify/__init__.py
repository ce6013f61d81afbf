"""Independent checks that a redacted PDF leaks nothing (``python -m redaction verify``)."""
