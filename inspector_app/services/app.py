"""The services facade: one object per data home that the GUI and CLI hold.

Each service is created on first use so a command only loads what it needs (fast CLI start-up). The store
behind the services is private: entry points ask a service, never a repository (the import rules cannot see
an attribute chain such as ``services.store.attachments``, so there is none to follow).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

from inspector_app.core.clock import Clock, SystemClock
from inspector_app.core.summaries import InspectionQuery
from inspector_app.paths import DataHome
from inspector_app.storage.store import Store

if TYPE_CHECKING:
    from inspector_app.forms.library import FormLibrary
    from inspector_app.services.accounts import AccountService
    from inspector_app.services.backup import BackupService
    from inspector_app.services.complaints import ComplaintService
    from inspector_app.services.draws import DrawService
    from inspector_app.services.followups import FollowUpService
    from inspector_app.services.grading import GradingService
    from inspector_app.services.inspections import InspectionService
    from inspector_app.services.publish import PublishService
    from inspector_app.services.registry import RegistryService
    from inspector_app.services.reports import ReportService
    from inspector_app.services.review import ReviewService
    from inspector_app.services.risk import RiskService
    from inspector_app.services.support.passwords import PasswordHasher
    from inspector_app.services.support.sealing import Sealer
    from inspector_app.services.sync import SyncService
    from inspector_app.services.verify import VerifyService

#: How long an editor's autosave waits for another connection's write lock before it queues the change
#: (``gui/inspection/autosave.py``): short, because the wait happens on the UI thread.
AUTOSAVE_BUSY_TIMEOUT_MS = 150


class Services:
    """Entry point: ``Services(resolve_home(arg))``.

    ``clock``, ``forms``, ``hasher`` (password hashing; tests pass cheap parameters) and ``store`` (tests
    share one with their repository checks) may be injected; each defaults to the real thing. A given
    store stays open when this object closes unless ``owns_store`` is true.
    """

    def __init__(
        self,
        home: DataHome,
        clock: Clock | None = None,
        forms: FormLibrary | None = None,
        *,
        hasher: PasswordHasher | None = None,
        store: Store | None = None,
        owns_store: bool | None = None,
    ) -> None:
        self.home = home
        self.clock: Clock = clock or SystemClock()
        self._store = store if store is not None else Store(home)
        self._owns_store = store is None if owns_store is None else owns_store
        self._given_forms = forms
        self._hasher = hasher

    @cached_property
    def forms(self) -> FormLibrary:
        if self._given_forms is not None:
            return self._given_forms
        from inspector_app.forms.library import load_library

        return load_library()

    @cached_property
    def registry(self) -> RegistryService:
        from inspector_app.services.registry import RegistryService

        return RegistryService(self._store, self.clock)

    @cached_property
    def inspections(self) -> InspectionService:
        from inspector_app.services.inspections import InspectionService

        return InspectionService(self._store, self.forms, self.clock, self._sealer)

    @cached_property
    def grading(self) -> GradingService:
        from inspector_app.services.grading import GradingService

        return GradingService(self._store, self.forms, self.clock)

    @cached_property
    def sync(self) -> SyncService:
        from inspector_app.services.sync import SyncService

        return SyncService(self._store, self.registry, self._sealer, self.clock)

    @cached_property
    def _sealer(self) -> Sealer:
        """The one sealer of this data home: finalizing, reviewing and sync share its device key."""
        from inspector_app.services.support.sealing import Sealer

        return Sealer(self._store, self.clock)

    @cached_property
    def accounts(self) -> AccountService:
        from inspector_app.services.accounts import AccountService

        return AccountService(self._store, self.clock, hasher=self._hasher)

    @cached_property
    def review(self) -> ReviewService:
        from inspector_app.services.review import ReviewService

        return ReviewService(self._store, self.forms, self.clock, self._sealer)

    @cached_property
    def publish(self) -> PublishService:
        from inspector_app.services.publish import PublishService

        return PublishService(self._store, self.forms, self.clock)

    @cached_property
    def reports(self) -> ReportService:
        from inspector_app.services.reports import ReportService

        return ReportService(self._store, self.forms, self.clock)

    @cached_property
    def backup(self) -> BackupService:
        from inspector_app.services.backup import BackupService

        return BackupService(self, self._store, self.clock)

    @cached_property
    def verify(self) -> VerifyService:
        from inspector_app.services.verify import VerifyService

        return VerifyService(self._store)

    @cached_property
    def autosaving(self) -> Services:
        """The same data home over a second connection whose writes wait at most
        :data:`AUTOSAVE_BUSY_TIMEOUT_MS` for another writer, then raise
        :class:`~inspector_app.services.errors.DatabaseBusy` (the editor queues and retries them).

        Being a separate connection, it also never waits for this process's own background writers (an
        import in a worker thread): it sees their lock as busy like any other. Closed with this object.
        """
        store = Store(self.home, busy_timeout_ms=AUTOSAVE_BUSY_TIMEOUT_MS)
        return Services(self.home, self.clock, self.forms, hasher=self._hasher, store=store, owns_store=True)

    def with_clock(self, clock: Clock) -> Services:
        """The same data home seen through another clock (the demo dates its visits in the past).

        Shares this object's store, forms and hasher; closing it leaves the store open.
        """
        return Services(self.home, clock, self.forms, hasher=self._hasher, store=self._store)

    @contextmanager
    def all_or_nothing(self, what: str) -> Iterator[None]:
        """Everything written through these services (and :meth:`with_clock` copies) inside the block
        commits together or not at all — a full disk half-way leaves nothing behind. ``what`` (Chinese)
        names the long write to others who find the database busy meanwhile.

        Attachment files written inside the block stay on disk if it fails (content-addressed and
        unreferenced, they are harmless and reused when the same bytes are stored again).
        """
        with self._store.writing(what), self._store.transaction():
            yield

    def is_empty(self) -> bool:
        """Whether the data home holds nothing yet: no accounts, no businesses, no inspection records."""
        if self.accounts.has_users() or self.registry.count():
            return False
        return not self.inspections.list(InspectionQuery(limit=1))

    def check_integrity(self) -> None:
        """Full integrity check of the database (slow on big files; ``inspector init`` runs it)."""
        self._store.check_integrity()

    # -- the plan's way of working (issue 13): risk grades, 双随机 draws, 回头看, complaints ---------------

    @cached_property
    def risk(self) -> RiskService:
        from inspector_app.services.risk import RiskService

        return RiskService(self._store, self.clock)

    @cached_property
    def draws(self) -> DrawService:
        from inspector_app.services.draws import DrawService

        return DrawService(self._store, self.clock, self.risk, self.inspections)

    @cached_property
    def followups(self) -> FollowUpService:
        from inspector_app.services.followups import FollowUpService

        return FollowUpService(self._store, self.clock, self.inspections)

    @cached_property
    def complaints(self) -> ComplaintService:
        from inspector_app.services.complaints import ComplaintService

        return ComplaintService(self._store, self.clock)

    def close(self) -> None:
        if "autosaving" in self.__dict__:
            self.__dict__.pop("autosaving").close()
        if self._owns_store:
            self._store.close()
