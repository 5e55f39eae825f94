"""Storage layer: the only package (with ``hq``) that imports ``sqlite3``/``sqlite_utils``.

Repositories take and return core dataclasses; nothing above this package writes SQL.
"""
