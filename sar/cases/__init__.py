"""Stage 1, intake: the case register of rights requests, the people involved and their evidence."""
