"""Fictional data for ``flask --app sar seed-demo``: people, identifiers and the stories of the demo cases.

Everything here is invented. Identifiers come from ranges that can never belong to a real person:
NHS numbers in the 999 test range (with a valid mod-11 check digit), Ofcom's drama phone ranges
(07700 900xxx, 01632 960xxx), email addresses at example.org, and an invented county.
"""
