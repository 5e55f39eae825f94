"""公开 exports of a draw: CSV, XLSX and PDF without personal data, formula-safe, with results once inspected."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from inspector_app.core.errors import PermissionDenied
from inspector_app.core.identifiers import make_uscc
from inspector_app.services.draws import DrawRequest
from tests.builders import make_business, make_library
from tests.unit.services.planning_support import DONGBAO, SUPERVISOR, fill, finish

TRICKY = make_uscc("92420802MA4YYYYY9")
PERSONAL = [u.display_name for u in DONGBAO] + [u.badge_no for u in DONGBAO] + [u.id for u in DONGBAO]


@pytest.fixture
def forms():
    return make_library()


@pytest.fixture
def services(services, store):
    fill(store, businesses=60)
    tricky = make_business(uscc=TRICKY, name="=HYPERLINK(1)小吃店13912345678", phone="13912345678")
    store.businesses.upsert(tricky, "xcd", "2026-01-01T00:00:00Z")
    return services


@pytest.fixture
def draw_id(services):
    request = DrawRequest(seed="公开测试", size=500, areas=("东宝区",), kinds=("小餐饮",), title="三月抽查")
    return services.draws.confirm(SUPERVISOR, services.draws.preview(SUPERVISOR, request)).id


def test_the_csv_lists_the_drawn_businesses_masked_and_escaped_without_inspectors(
    services, draw_id, tmp_path
):
    out = tmp_path / "draw.csv"
    count = services.draws.export(SUPERVISOR, draw_id, "csv", out)
    text = out.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["序号", "统一社会信用代码", "主体名称", "辖区", "主体类型"]
    assert len(rows) == count + 1 and count == len(services.draws.targets(draw_id))
    tricky = next(r for r in rows if r[1] == TRICKY)
    assert tricky[2] == "'=HYPERLINK(1)小吃店***********"
    assert not any(secret in text for secret in PERSONAL)


def test_the_xlsx_says_how_the_draw_was_made(services, draw_id, tmp_path):
    out = tmp_path / "draw.xlsx"
    services.draws.export(SUPERVISOR, draw_id, "xlsx", out)
    book = load_workbook(out)
    assert book.sheetnames == ["双随机、一公开抽查对象名单", "抽取依据"]
    basis = {row[0]: row[1] for row in book["抽取依据"].iter_rows(values_only=True)}
    document = services.draws.document(draw_id)
    assert basis["随机种子"] == "公开测试" and basis["名录快照 SHA-256"] == document.result.registry_hash
    assert basis["抽取结果 SHA-256"] == document.result.sha256 and "不公开" in basis["检查人员"]
    cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert not any(secret in str(cell) for cell in cells for secret in PERSONAL)
    assert all(cell.data_type == "s" for row in book.worksheets[0].iter_rows(min_row=2) for cell in row[1:])


def test_the_pdf_embeds_the_font_is_deterministic_and_carries_the_verification_data(
    services, draw_id, tmp_path
):
    out = tmp_path / "draw.pdf"
    services.draws.export(SUPERVISOR, draw_id, "pdf", out)
    data = out.read_bytes()
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    document = services.draws.document(draw_id)
    assert "“双随机、一公开”抽查对象名单" in text and "公开测试" in text
    assert document.result.registry_hash in text and "第1页共" in text
    assert b"/FontFile2" in data and b"/Helvetica" not in data
    assert not any(secret in text for secret in PERSONAL)
    again = tmp_path / "again.pdf"
    services.draws.export(SUPERVISOR, draw_id, "pdf", again)
    assert again.read_bytes() == data


def test_results_appear_once_inspected(services, draw_id, tmp_path):
    teams = services.draws.teams(draw_id)
    first, second = [t.uscc for t in services.draws.targets(draw_id)[:2]]
    lead = next(u for u in DONGBAO if u.id == teams[first][0])
    record = services.draws.start_visit(lead, draw_id, first, "food.test_catering")
    finish(services, lead, record.id, {"G1": "不符合"})
    other_lead = next(u for u in DONGBAO if u.id == teams[second][0])
    services.draws.start_visit(other_lead, draw_id, second, "food.test_catering")
    out = tmp_path / "results.csv"
    services.draws.export(SUPERVISOR, draw_id, "csv", out, with_results=True)
    rows = {r[1]: r for r in csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig")))}
    sealed = services.inspections.get(record.id)
    assert rows[first][5:] == ["已检查", "2026-03-02", "基本符合", "书面限期整改", sealed.document_no]
    assert rows[second][5] == "检查中"
    assert {r[5] for u, r in rows.items() if u not in (first, second, "统一社会信用代码")} == {"未检查"}


def test_only_supervisors_and_administrators_publish(services, draw_id, tmp_path):
    with pytest.raises(PermissionDenied):
        services.draws.export(DONGBAO[0], draw_id, "csv", tmp_path / "x.csv")
