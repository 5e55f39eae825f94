"""Rebuilding a record from its canonical content (what HQ does): same hash, same PDF bytes."""

from __future__ import annotations

import copy
import json

import pytest

from inspector_app.core.clock import FixedClock
from inspector_app.core.errors import ValidationError
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.record_content import inspection_from_content, referenced_blobs
from inspector_app.core.records import canonical_bytes, canonical_content, content_hash
from inspector_app.paths import DataHome
from inspector_app.reports.pdf import render_pdf
from inspector_app.services.app import Services
from inspector_app.services.reports import record_report
from tests.builders import CHEAP_HASHER, T0
from tests.review_support import add_business, finalized_record


@pytest.fixture(scope="module")
def laptop(tmp_path_factory):
    services = Services(DataHome(tmp_path_factory.mktemp("laptop")), FixedClock(T0), hasher=CHEAP_HASHER)
    record_id = finalized_record(services, add_business(services))
    yield services, services.inspections.get(record_id)
    services.close()


def test_rebuilt_record_has_the_same_canonical_bytes_and_hash(laptop):
    _, record = laptop
    content = json.loads(canonical_bytes(record))
    rebuilt = inspection_from_content(content, record.status)
    assert canonical_bytes(rebuilt) == canonical_bytes(record)
    assert content_hash(rebuilt) == record.content_hash
    assert referenced_blobs(rebuilt) == set(record.attachments)
    assert len(record.attachments) >= 1  # the signatures


def test_fields_added_after_the_first_records_travel_when_set(laptop):
    _, record = laptop
    content = json.loads(canonical_bytes(record))
    content.update(verdict_rule="food.pass_rate", on_spot_fix="当场整改完毕，不予查封扣押")
    rebuilt = inspection_from_content(content, record.status)
    assert (rebuilt.verdict_rule, rebuilt.on_spot_fix) == ("food.pass_rate", "当场整改完毕，不予查封扣押")
    assert canonical_content(rebuilt) == content


def test_hq_renders_the_same_pdf_bytes_as_the_laptop(laptop):
    services, record = laptop
    laptop_pdf = services.reports.render(record.id)
    rebuilt = inspection_from_content(json.loads(canonical_bytes(record)), record.status)
    rebuilt.content_hash = content_hash(rebuilt)
    hq_pdf = render_pdf(record_report(rebuilt, services.forms), services.inspections.attachment_bytes)
    assert hq_pdf == laptop_pdf


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda c: c.pop("place"), "缺少"),
        (lambda c: c.update(extra=1), "多出"),
        (lambda c: c.update(format="inspector-record/9"), "不受支持"),
        (lambda c: c.update(started_at="yesterday"), "UTC"),
        (lambda c: c.update(form_version="1"), "整数"),
        (lambda c: c.update(inspection_type="随便查查"), "未知"),
        (lambda c: c["signatures"].append("x"), "JSON 对象"),
        (lambda c: c.update(recusal_requested=0), "true/false"),
    ],
)
def test_malformed_content_is_refused_with_the_field_named(laptop, mutate, message):
    _, record = laptop
    content = copy.deepcopy(canonical_content(record))
    mutate(content)
    with pytest.raises(ValidationError, match=message):
        inspection_from_content(content, RecordStatus.SYNCED)
