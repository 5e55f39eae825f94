"""主体查询: search-as-you-type (1–2 characters, USCC, pinyin initials), the business page, and every model."""

from __future__ import annotations

from datetime import date

import pytest

from inspector_app.core.summaries import FollowUp
from inspector_app.gui import theme
from inspector_app.gui.models.base import ID_ROLE
from inspector_app.gui.pages.registry import RegistryPage as RegistryWidget
from tests.gui.pages import RegistryPage
from tests.shell import uscc_of

pytestmark = pytest.mark.gui


@pytest.fixture
def registry_for(qtbot, shell):
    def make(username: str = "zhangwei") -> RegistryPage:
        page = RegistryWidget(shell.services, shell.users[username])
        qtbot.addWidget(page)
        page.resize(1190, 700)
        page.show()
        page.refresh()
        return RegistryPage(qtbot, page)

    return make


@pytest.fixture
def registry(registry_for):
    return registry_for()


def test_one_character_finds_every_name_containing_it(registry):
    assert sorted(registry.search("红")) == ["荆门市东宝区红山小吃店", "荆门市红星便利店"]


def test_two_characters_narrow_the_results(registry):
    assert registry.search("红山") == ["荆门市东宝区红山小吃店"]
    assert registry.search("山水") == ["钟祥市山水美容院"]


def test_uscc_prefix_and_pinyin_initials_find_the_business(registry):
    assert registry.search(uscc_of(3)[:10]) == ["京山市明珠电梯物业有限公司"]
    assert registry.search("hxbld") == ["荆门市红星便利店"]


def test_no_match_says_what_else_to_try(registry):
    assert registry.search("不存在的店") == []
    assert "没有找到" in registry.status_text() and "拼音首字母" in registry.status_text()


def test_clearing_the_box_empties_the_results(qtbot, registry):
    registry.search("红")
    with qtbot.waitSignal(registry.view.results_shown, timeout=5000):
        registry.view.search_box.clear()
    assert registry.result_names() == []


def test_total_count_of_the_registry_is_shown(qtbot, registry):
    qtbot.waitUntil(lambda: "4" in registry.view.count_label.text(), timeout=5000)
    assert registry.view.count_label.text() == "登记库共 4 家主体"


def test_keyboard_opens_the_business_page_and_escape_returns(registry):
    registry.search("红")
    registry.open_result(1)
    assert registry.business_name() in ("荆门市东宝区红山小吃店", "荆门市红星便利店")
    assert registry.page.stack.currentWidget() is registry.page.business
    registry.press_escape()
    assert registry.page.stack.currentWidget() is registry.page.search


def test_equipment_unit_page_lists_its_equipment(registry):
    registry.search("明珠")
    registry.open_result()
    assert registry.business_name() == "京山市明珠电梯物业有限公司"
    assert "特种设备（1）" in registry.business_tabs()
    model = registry.page.business.equipment_model
    assert model.index(0, 0).data() == "31104208002019000001"


def test_food_business_page_has_no_equipment_tab(registry):
    registry.search("红山")
    registry.open_result()
    assert registry.business_tabs() == ["检查记录（0）", "未完成整改（0）"]


def test_past_inspections_of_the_business_are_listed(qtbot, shell, registry):
    draft = shell.start_draft(business=0)
    registry.search("红山")
    registry.open_result()
    table = registry.page.business.inspections_table
    assert table.model().index(0, 0).data(ID_ROLE) == draft
    with qtbot.waitSignal(registry.page.record_activated, timeout=2000) as opened:
        table.setFocus()
        table.select_first()
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [draft]


def test_start_button_asks_to_start_an_inspection_of_this_business(qtbot, registry):
    registry.search("红山")
    registry.open_result()
    button = registry.page.business.start_button
    assert button.isVisibleTo(registry.page)
    with qtbot.waitSignal(registry.page.start_requested, timeout=2000) as started:
        button.click()
    assert started.args == [uscc_of(0), ""]


def test_supervisor_sees_no_start_button(registry_for):
    registry = registry_for("chenjing")
    registry.search("红山")
    registry.open_result()
    assert not registry.page.business.start_button.isVisibleTo(registry.page)


# --- models -------------------------------------------------------------------------------------------


def test_business_model_passes_qtmodeltester(qtmodeltester, registry):
    registry.search("市")
    assert len(registry.result_names()) == 4
    qtmodeltester.check(registry.view.model, force_py=True)


def test_business_model_answers_none_for_roles_it_does_not_know(registry):
    registry.search("红")
    index = registry.view.model.index(0, 0)
    assert index.data(12345) is None
    assert index.data(ID_ROLE) in (uscc_of(0), uscc_of(1))


def test_business_page_models_pass_qtmodeltester(qtmodeltester, shell, registry):
    shell.start_draft(business=3, form_id="equipment.unit")
    registry.search("明珠")
    registry.open_result()
    business = registry.page.business
    for model in (business.inspections_model, business.equipment_model, business.orders_model):
        qtmodeltester.check(model, force_py=True)


def test_overdue_orders_are_red_in_the_followup_model(qtmodeltester, registry):
    model = registry.page.business.orders_model
    late = FollowUp("f1", "r1", "o1", uscc_of(0), "红山小吃店", "3.1", "清理冰箱", date(2026, 2, 1))
    soon = FollowUp("f2", "r1", "o2", uscc_of(0), "红山小吃店", "3.2", "张贴许可证", date(2026, 3, 9))
    model.set_ids(["f1", "f2"], {"f1": late, "f2": soon})
    from PySide6.QtCore import Qt

    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) == theme.DANGER
    assert "逾期" in model.index(0, 0).data()
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    qtmodeltester.check(model, force_py=True)


def _detail(business_view, title: str) -> str:
    grid = business_view.details
    for n in range(grid.count()):
        widget = grid.itemAt(n).widget()
        if widget is not None and widget.text() == f"{title}：":
            row, col, _, _ = grid.getItemPosition(n)
            return grid.itemAtPosition(row, col + 1).widget().text()
    raise AssertionError(f"no detail {title}")


def _finalize_all_compliant(shell, record_id: str) -> None:
    from inspector_app.core.checklist import AnswerType
    from tests.builders import make_signature_png

    inspections, user = shell.services.inspections, shell.users["zhangwei"]
    record = inspections.get(record_id)
    checklist = inspections.checklist_of(record)
    values: dict[str, str] = {}
    for item in checklist.items:
        if checklist.is_visible(item, values, record.attributes):
            value = item.choices[-1].value if item.type is AnswerType.CHOICE else "符合"
            values[item.code] = value
            inspections.answer(user, record_id, item.code, value)
    for n, name in enumerate(("张伟", "李娜")):
        inspections.sign(user, record_id, "inspector", name, make_signature_png(n))
    inspections.sign(user, record_id, "party", "王红山", make_signature_png(5))
    inspections.finalize(user, record_id)


def test_a_catering_business_shows_its_annual_grade_from_the_visits(shell, registry):
    registry.search("红山")
    registry.open_result()
    assert _detail(registry.page.business, "量化分级年度等级").startswith(
        "年度等级未评定：近12个月没有动态等级评分"
    )
    _finalize_all_compliant(shell, shell.start_draft(business=0))
    registry.page.business.reload()
    assert _detail(registry.page.business, "量化分级年度等级").startswith("A 级（优秀）：")


def test_other_businesses_show_no_annual_grade(registry):
    registry.search("红星")
    registry.open_result()
    with pytest.raises(AssertionError, match="no detail"):
        _detail(registry.page.business, "量化分级年度等级")
