"""services.sync without an HQ: what a laptop that is not (yet) enrolled says, and input checks."""

from __future__ import annotations

import pytest

from inspector_app.core.errors import InspectorError, ValidationError
from tests.review_support import add_business, finalized_record


def test_an_unenrolled_laptop_reports_what_waits_and_how_to_enrol(services, tmp_path):
    finalized_record(services, add_business(services))
    status = services.sync.status()
    assert (status.enrolled, status.pending, status.waiting, status.last_success_at) == (False, 1, 1, None)
    assert status.key_fingerprint and status.device_id == services.inspections.device.id
    for run in (services.sync.push, services.sync.pull):
        with pytest.raises(InspectorError, match="本机尚未在总部登记.*inspector sync enroll"):
            run()
    with pytest.raises(InspectorError, match="尚未在总部登记"):
        services.sync.export_bundle(tmp_path / "x.inspbundle")


@pytest.mark.parametrize(
    ("url", "code", "message"),
    [
        ("hq.example:8750", "7KQ2-M9XA-3HTP", "http:// 或 https://"),
        ("https://hq.example", "  ", "登记码"),
    ],
)
def test_enrolment_input_is_checked_before_anything_is_sent(services, url, code, message):
    with pytest.raises(ValidationError, match=message):
        services.sync.enroll(url, code)
    assert services.sync.enrolment() is None


def test_a_missing_ca_file_is_named(services, tmp_path):
    with pytest.raises(ValidationError, match="找不到总部证书文件"):
        services.sync.enroll("https://hq.example", "7KQ2-M9XA-3HTP", ca_file=str(tmp_path / "ca.pem"))
