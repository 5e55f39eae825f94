"""The services facade: one object per data home that the GUI and CLI hold.

Each service is created on first use so a command only loads what it needs (fast CLI start-up). The store
behind the services is private: entry points ask a service, never a repository (the import rules cannot see
an attribute chain such as ``services.store.attachments``, so there is none to follow).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from inspector_app.core.clock import Clock, SystemClock
from inspector_app.core.summaries import InspectionQuery
from inspector_app.paths import DataHome
from inspector_app.storage.store import Store

if TYPE_CHECKING:
    from inspector_app.forms.library import FormLibrary
    from inspector_app.services.accounts import AccountService
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


class Services:
    """Entry point: ``Services(resolve_home(arg))``.

    ``clock``, ``forms``, ``hasher`` (password hashing; tests pass cheap parameters) and ``store`` (tests
    share one with their repository checks) may be injected; each defaults to the real thing.
    """

    def __init__(
        self,
        home: DataHome,
        clock: Clock | None = None,
        forms: FormLibrary | None = None,
        *,
        hasher: PasswordHasher | None = None,
        store: Store | None = None,
    ) -> None:
        self.home = home
        self.clock: Clock = clock or SystemClock()
        self._store = store if store is not None else Store(home)
        self._owns_store = store is None
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

    def with_clock(self, clock: Clock) -> Services:
        """The same data home seen through another clock (the demo dates its visits in the past).

        Shares this object's store, forms and hasher; closing it leaves the store open.
        """
        return Services(self.home, clock, self.forms, hasher=self._hasher, store=self._store)

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
        if self._owns_store:
            self._store.close()
