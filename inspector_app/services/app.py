"""The services facade: one object per data home that the GUI and CLI hold.

Each service is created on first use so a command only loads what it needs (fast CLI start-up).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from inspector_app.core.clock import Clock, SystemClock
from inspector_app.paths import DataHome
from inspector_app.storage.store import Store

if TYPE_CHECKING:
    from inspector_app.forms.library import FormLibrary
    from inspector_app.services.accounts import AccountService
    from inspector_app.services.complaints import ComplaintService
    from inspector_app.services.draws import DrawService
    from inspector_app.services.followups import FollowUpService
    from inspector_app.services.inspections import InspectionService
    from inspector_app.services.publish import PublishService
    from inspector_app.services.registry import RegistryService
    from inspector_app.services.reports import ReportService
    from inspector_app.services.review import ReviewService
    from inspector_app.services.risk import RiskService


class Services:
    """Entry point: ``Services(resolve_home(arg))``."""

    def __init__(self, home: DataHome, clock: Clock | None = None, forms: FormLibrary | None = None) -> None:
        self.home = home
        self.clock: Clock = clock or SystemClock()
        self.store = Store(home)
        if forms is not None:
            self.__dict__["forms"] = forms

    @cached_property
    def forms(self) -> FormLibrary:
        from inspector_app.forms.library import load_library

        return load_library()

    @cached_property
    def registry(self) -> RegistryService:
        from inspector_app.services.registry import RegistryService

        return RegistryService(self.store, self.clock)

    @cached_property
    def inspections(self) -> InspectionService:
        from inspector_app.services.inspections import InspectionService

        return InspectionService(self.store, self.forms, self.clock)

    @cached_property
    def accounts(self) -> AccountService:
        from inspector_app.services.accounts import AccountService

        return AccountService(self.store, self.clock)

    @cached_property
    def review(self) -> ReviewService:
        from inspector_app.services.review import ReviewService

        return ReviewService(self.store, self.forms, self.clock)

    @cached_property
    def publish(self) -> PublishService:
        from inspector_app.services.publish import PublishService

        return PublishService(self.store, self.forms, self.clock)

    @cached_property
    def reports(self) -> ReportService:
        from inspector_app.services.reports import ReportService

        return ReportService(self.store, self.forms, self.clock)

    # -- the plan's way of working (issue 13): risk grades, 双随机 draws, 回头看, complaints ---------------

    @cached_property
    def risk(self) -> RiskService:
        from inspector_app.services.risk import RiskService

        return RiskService(self.store, self.clock)

    @cached_property
    def draws(self) -> DrawService:
        from inspector_app.services.draws import DrawService

        return DrawService(self.store, self.clock, self.risk, self.inspections)

    @cached_property
    def followups(self) -> FollowUpService:
        from inspector_app.services.followups import FollowUpService

        return FollowUpService(self.store, self.clock, self.inspections)

    @cached_property
    def complaints(self) -> ComplaintService:
        from inspector_app.services.complaints import ComplaintService

        return ComplaintService(self.store, self.clock)

    def close(self) -> None:
        self.store.close()
