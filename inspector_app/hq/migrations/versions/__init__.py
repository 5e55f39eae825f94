"""Named HQ migrations; add new ones at the end, never edit a shipped one."""
