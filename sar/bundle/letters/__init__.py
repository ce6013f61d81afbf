"""Letters to the requester: acknowledgement, requests for ID, authority, clarification or a fee, the extension
notice, refusal, no data held and the disclosure cover.

Templates are Jinja text the DPO edits in the app, rendered in a sandbox (sar.bundle.letters.sandbox) against plain
dicts of the case's facts (sar.bundle.letters.context), typeset to PDF with reportlab (sar.bundle.letters.pdf), kept
on the case in the encrypted file store and sent through the mail outbox or marked as posted. Every template save is
a new version and every letter records the version it was written from.
"""
