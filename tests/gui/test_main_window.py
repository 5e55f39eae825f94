"""The main window: pages per role, keyboard navigation, status bar, home page lists, records list."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.summaries import FollowUp
from inspector_app.gui import theme
from inspector_app.gui.pages.home import HomeData
from tests.gui.pages import HomePage, InspectionsPage, MainWindowPage
from tests.shell import uscc_of

pytestmark = pytest.mark.gui


@pytest.fixture
def open_window(qtbot, window_for):
    def make(username: str) -> MainWindowPage:
        return MainWindowPage(qtbot, window_for(username))

    return make


def home_of(qtbot, window: MainWindowPage) -> HomePage:
    home = HomePage(qtbot, window.window.page("home"))
    home.reload()
    return home


def test_inspector_sees_tasks_registry_and_records_only(open_window):
    window = open_window("zhangwei")
    assert window.nav_titles() == ["今日任务", "主体查询", "检查记录"]
    assert window.window.page("accounts") is None


def test_admin_gets_the_accounts_page_and_no_review_page(open_window):
    window = open_window("admin")
    assert "账号" in window.nav_titles()
    assert "审核" not in window.nav_titles()


def test_supervisor_gets_the_review_page_and_not_the_accounts_page(open_window):
    window = open_window("chenjing")
    assert window.nav_titles() == ["今日任务", "主体查询", "检查记录", "审核"]
    assert window.go(4) is window.window.page("review")


def test_alt_numbers_switch_pages_and_ctrl_f_focuses_the_search_box(qtbot, open_window):
    window = open_window("zhangwei")
    assert window.go(3) is window.window.page("inspections")
    assert window.window.current_key() == "inspections"
    assert window.go(1) is window.window.page("home")
    window.press("Ctrl+F")
    registry = window.window.page("registry")
    assert window.window.current_key() == "registry"
    qtbot.waitUntil(lambda: registry.search.search_box.hasFocus(), timeout=2000)


def test_status_bar_shows_user_role_badge_and_data_home(open_window):
    window = open_window("zhangwei")
    assert window.status_text() == "当前用户：张伟（检查员，执法证号 42080220230012）"
    assert "测试数据目录" in window.window.home_label.text()


def test_home_lists_the_inspectors_own_drafts(qtbot, shell, open_window):
    mine = shell.start_draft(by="zhangwei")
    shell.start_draft(by="lina", business=1, form_id="food.retail")
    home = home_of(qtbot, open_window("zhangwei"))
    assert home.ids("drafts") == [mine]
    assert home.sections()[0] == "待完成的草稿（1）"


def test_opening_a_draft_on_home_asks_the_window_to_open_the_record(qtbot, shell, open_window, monkeypatch):
    draft = shell.start_draft()
    window = open_window("zhangwei")
    opened = []
    monkeypatch.setattr(window.window, "open_inspection", lambda rid, read_only=None: opened.append(rid))
    home = HomePage(qtbot, window.window.page("home"))
    # the page was wired before the patch: re-wire to the patched method through the signal
    home.page.record_activated.disconnect()
    home.page.record_activated.connect(window.window.open_inspection)
    home.reload()
    home.open_first("drafts")
    assert opened == [draft]


def test_overdue_orders_show_in_red_and_due_ones_do_not(qtbot, shell, open_window, qtmodeltester):
    home = home_of(qtbot, open_window("zhangwei"))  # let the initial background load finish first
    today = date(2026, 3, 2)
    late = FollowUp("f1", "r1", "o1", uscc_of(0), "红山小吃店", "3.1", "清理冰箱", date(2026, 2, 20))
    due = FollowUp("f2", "r2", "o2", uscc_of(1), "红星便利店", "2.4", "张贴许可证", date(2026, 3, 5))
    home.page.set_data(HomeData(today=today, overdue=[late], due=[due]))
    assert home.texts("overdue", 0) == ["2026-02-20（逾期 10 天）"]
    overdue_index = home.page.tables["overdue"].model().index(0, 1)
    assert overdue_index.data(Qt.ItemDataRole.ForegroundRole) == theme.DANGER
    assert home.texts("due", 0) == ["2026-03-05（3 天后到期）"]
    assert home.page.tables["due"].model().index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    qtmodeltester.check(home.page.overdue_model, force_py=True)


def test_home_shows_an_empty_message_instead_of_an_empty_table(qtbot, open_window):
    home = home_of(qtbot, open_window("zhangwei"))
    card = home.page.cards["drafts"]
    assert card.empty.isVisibleTo(home.page) and card.empty.text() == "没有未完成的草稿。"
    assert not home.page.tables["drafts"].isVisibleTo(home.page)


def test_supervisor_home_starts_with_the_review_queue(qtbot, open_window):
    home = home_of(qtbot, open_window("chenjing"))
    assert home.sections()[0] == "待审核记录（0）"


def test_records_list_filters_by_status_and_area(qtbot, shell, open_window, qtmodeltester):
    shell.start_draft(business=0)
    window = open_window("zhangwei")
    records = InspectionsPage(qtbot, window.go(3))
    assert records.names() == ["荆门市东宝区红山小吃店"]
    assert records.statuses() == ["草稿"]
    assert records.filter(status=RecordStatus.FINALIZED) == []
    assert records.filter(status=None, area="钟祥市") == []
    assert records.filter(area="东宝区") == ["荆门市东宝区红山小吃店"]
    qtmodeltester.check(records.page.model, force_py=True)


def test_records_of_others_are_hidden_until_mine_is_unticked(qtbot, shell, open_window):
    shell.start_draft(by="lina", business=1, form_id="food.retail")
    records = InspectionsPage(qtbot, open_window("zhangwei").go(3))
    assert records.names() == []
    assert records.filter(mine=False) == ["荆门市红星便利店"]


def test_admin_accounts_page_lists_users(qtbot, open_window, qtmodeltester):
    window = open_window("admin")
    page = window.window.show_page("accounts")
    names = [page.model.index(r, 1).data() for r in range(page.model.rowCount())]
    assert sorted(names) == sorted(["系统管理员", "张伟", "李娜", "陈静"])
    qtmodeltester.check(page.model, force_py=True)


def test_logout_hides_the_window_and_says_so(qtbot, open_window):
    window = open_window("zhangwei")
    with qtbot.waitSignal(window.window.logged_out, timeout=2000):
        window.press("Ctrl+Shift+L")
    assert not window.window.isVisible()


def test_opening_a_record_shows_the_editor_and_back_returns(qtbot, shell, open_window):
    draft = shell.start_draft()
    window = open_window("zhangwei")
    window.go(3)
    window.window.open_inspection(draft)
    assert window.window.current_key() == "editor"
    editor_page = window.window.page("editor")
    assert editor_page.editor.session.record_id == draft
    nav = window.window.nav
    assert nav.currentItem().text() == "检查记录"  # the page the record was opened from stays highlighted
    window.press("Alt+Left")
    assert window.window.current_key() == "inspections"
    window.window.open_inspection(draft)
    nav.itemClicked.emit(nav.currentItem())  # clicking the highlighted entry leaves the editor too
    assert window.window.current_key() == "inspections"


def test_a_supervisor_opens_records_read_only(qtbot, shell, open_window):
    draft = shell.start_draft()
    window = open_window("chenjing")
    window.window.open_inspection(draft)
    assert window.window.page("editor").editor.session.read_only


def test_add_user_dialog_asks_for_the_badge_of_an_inspector_then_creates_it(qtbot, shell):
    from inspector_app.core.accounts import Role
    from inspector_app.gui.pages.accounts import AddUserDialog

    dialog = AddUserDialog(shell.services.accounts, shell.users["admin"])
    qtbot.addWidget(dialog)
    dialog.username.setText("wangqiang")
    dialog.display_name.setText("王强")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.INSPECTOR))
    dialog.password.setText("long-enough-1")
    dialog.confirm.setText("long-enough-1")
    dialog._ok()
    assert "执法证号" in dialog.error.text() and dialog.created is None
    dialog.badge.setText("42080420210035")
    dialog._ok()
    assert dialog.created is not None and dialog.created.badge_no == "42080420210035"


def test_add_user_dialog_refuses_a_non_admin_even_if_opened(qtbot, shell):
    from inspector_app.gui.pages.accounts import AddUserDialog

    dialog = AddUserDialog(shell.services.accounts, shell.users["zhangwei"])
    qtbot.addWidget(dialog)
    for field, text in (
        (dialog.username, "x-user"),
        (dialog.display_name, "某人"),
        (dialog.password, "long-enough-1"),
        (dialog.confirm, "long-enough-1"),
    ):
        field.setText(text)
    dialog._ok()
    assert "无权" in dialog.error.text() and dialog.created is None
