"""The command line's sub-commands; :mod:`redaction.__main__` parses arguments and calls them."""
