"""RecordSession shows what the service stored after every write, never its own guess of it."""

from __future__ import annotations

import pytest

from inspector_app.gui.inspection.record_session import RecordSession
from tests.builders import make_jpeg

pytestmark = pytest.mark.gui


@pytest.fixture
def opened(shell):
    """(session, record id) on a fresh draft of 张伟's."""
    record_id = shell.start_draft(0, form_id="food.small_catering")
    return RecordSession(shell.services, shell.users["zhangwei"], record_id), record_id


def _failable(session: RecordSession) -> str:
    return next(i.code for i in session.visible_items() if "不符合" in i.allowed_values())


def test_an_answer_shows_the_stored_one_with_its_time_and_what_others_stored_meanwhile(shell, opened):
    session, record_id = opened
    code = _failable(session)
    # Written behind the session's back (another editor window, say): the session learns it on its next write.
    shell.services.inspections.answer(shell.users["zhangwei"], record_id, code, "不符合", "门口堆放杂物")
    photo = shell.services.inspections.attach_photo(shell.users["zhangwei"], record_id, code, make_jpeg())
    assert session.answer(code, "不符合")
    shown = session.answer_of(code)
    assert shown == shell.services.inspections.answer_of(record_id, code)
    assert shown is not None and shown.note == "门口堆放杂物" and shown.photos == [photo.sha256]
    assert shown.answered_at == shell.clock.now()


def test_clearing_a_note_and_removing_a_photo_show_the_stored_answer(shell, opened):
    session, record_id = opened
    code = _failable(session)
    session.answer(code, "不符合")
    session.set_note(code, "  油污  ")
    assert session.answer_of(code).note == "油污"  # stored trimmed
    session.attach_photo(code, make_jpeg())
    [sha] = session.answer_of(code).photos
    assert sha in session.record.attachments
    session.remove_photo(code, sha)
    assert session.answer_of(code).photos == []
    assert session.record.answers == shell.services.inspections.get(record_id).answers


def test_header_details_show_the_stored_record(shell, opened):
    session, record_id = opened
    assert session.set_details(other_findings="  后厨无其他问题  ", accompanying="店长")
    stored = shell.services.inspections.get(record_id)
    assert session.record == stored
    assert session.record.other_findings == "后厨无其他问题"
