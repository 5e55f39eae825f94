"""Helpers of the use-case services: registry file reading and row validation, pinyin initials, photo and
signature preparation, password hashing, the device identity, and the checks behind starting an inspection.

Nothing here is a use case and nothing here opens the database; the services in the parent package call it.
"""
