"""Use cases (start, answer, finalize, review, export, import…) — what the GUI and the CLI call."""
