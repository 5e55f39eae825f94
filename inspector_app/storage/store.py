"""The laptop store: one open database plus the attachment folder, exposing the repositories."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.paths import DataHome
from inspector_app.storage.activity import announce
from inspector_app.storage.backup import finish_interrupted_restore, snapshot
from inspector_app.storage.db import check_integrity, open_database
from inspector_app.storage.leftovers import clean_leftovers
from inspector_app.storage.transactions import transaction

if TYPE_CHECKING:
    from inspector_app.storage.accounts import AccountRepository
    from inspector_app.storage.attachments import AttachmentStore
    from inspector_app.storage.businesses import BusinessRepository
    from inspector_app.storage.inspections import InspectionRepository
    from inspector_app.storage.reviews import ReviewRepository
    from inspector_app.storage.sync import SyncRepository


class Store:
    """Owns the connection; repositories are created on first use.

    ``busy_timeout_ms`` is how long a write waits for another connection's write lock (default
    :data:`~inspector_app.storage.db.BUSY_TIMEOUT_MS`); the editor's autosave store uses a short one.
    """

    def __init__(self, home: DataHome, *, busy_timeout_ms: int | None = None) -> None:
        self.home = home.ensure()
        finish_interrupted_restore(self.home)  # before opening: the database may be the one being swapped
        self.db = open_database(home.db_path, busy_timeout_ms=busy_timeout_ms)
        clean_leftovers(self.home)

    @cached_property
    def businesses(self) -> BusinessRepository:
        from inspector_app.storage.businesses import BusinessRepository

        return BusinessRepository(self.db)

    @cached_property
    def inspections(self) -> InspectionRepository:
        from inspector_app.storage.inspections import InspectionRepository

        return InspectionRepository(self.db)

    @cached_property
    def attachments(self) -> AttachmentStore:
        from inspector_app.storage.attachments import AttachmentStore

        return AttachmentStore(self.db, self.home.attachments_dir)

    @cached_property
    def accounts(self) -> AccountRepository:
        from inspector_app.storage.accounts import AccountRepository

        return AccountRepository(self.db)

    @cached_property
    def reviews(self) -> ReviewRepository:
        from inspector_app.storage.reviews import ReviewRepository

        return ReviewRepository(self.db)

    @cached_property
    def sync(self) -> SyncRepository:
        from inspector_app.storage.sync import SyncRepository

        return SyncRepository(self.db)

    def snapshot(self, target: Path) -> None:
        """A consistent copy of the database at ``target`` (``VACUUM INTO``; others may keep writing)."""
        snapshot(self.db, target)

    @contextmanager
    def writing(self, what: str) -> Iterator[None]:
        """Announce a long write (``what``, in Chinese) so others that find the database busy can name it."""
        with announce(self.home.db_path, what):
            yield

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Every write on this store inside the block commits together, or none does."""
        with transaction(self.db.conn):
            yield

    def check_integrity(self) -> None:
        """Full integrity check of the database file (slow on big files; on demand, not at start), and a
        search of every attachment folder for leftovers of killed writes."""
        check_integrity(self.db)
        clean_leftovers(self.home, everywhere=True)

    def close(self) -> None:
        self.db.conn.close()
