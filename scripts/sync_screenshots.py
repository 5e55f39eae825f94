"""Screenshots of sync for docs/screenshots/: the admin's 同步 page and an inspector's home after a record
came back from a supervisor on another laptop (with the status bar's sync line).

Run under a virtual display at laptop size::

    Xvfb :98 -screen 0 1366x768x24 &
    QT_QPA_PLATFORM=xcb DISPLAY=:98 .venv/bin/python scripts/sync_screenshots.py docs/screenshots

Starts an HQ (SQLite, loopback) and two throw-away data homes: the demo laptop (demo accounts and records)
and a supervisor's laptop. The demo laptop enrols and syncs; one record then finds an attachment missing and
is refused; two more are finalized and wait. The supervisor's laptop pulls and returns one record with a
comment, which the demo laptop pulls back.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/ helpers: loopback server, builders

from PySide6.QtCore import QEventLoop, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication

from inspector_app.core.accounts import Role, User
from inspector_app.demo.accounts import DEMO_PASSWORD
from inspector_app.demo.fill import prepare_demo_home
from inspector_app.gui.app import create_app
from inspector_app.gui.main_window import MainWindow
from inspector_app.hq.app import create_app as create_hq
from inspector_app.hq.db import open_engine
from inspector_app.hq.service import HQ
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from tests.builders import make_jpeg
from tests.laptop_support import FAST_RETRY
from tests.live_server import ServerThread
from tests.review_support import answer_all, sign_all

SCREEN = (1366, 768)


def settle(ms: int = 600) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    QThreadPool.globalInstance().waitForDone(10000)
    QApplication.processEvents()


def _admin(services: Services) -> User:
    return services.accounts.authenticate("admin", DEMO_PASSWORD)


def user(services: Services, username: str) -> User:
    return next(u for u in services.accounts.list_users(_admin(services)) if u.username == username)


def finalize(services: Services, inspector: User, partner: User, seed: int) -> str:
    """A new record by the demo inspector at a small-catering business, with a photo."""
    from inspector_app.core.records import Inspector
    from inspector_app.core.registry import BusinessKind

    business = next(
        b
        for b in services.registry.list(limit=500)
        if b.kind is BusinessKind.SMALL_CATERING and b.area == "东宝区"
    )
    crew = [Inspector(u.display_name, u.badge_no, u.id) for u in (inspector, partner)]
    inspections = services.inspections
    record = inspections.start(inspector, business.uscc, "food.small_catering", crew, "日常检查", "店内")
    answer_all(services, inspector, record.id)
    first = sorted(inspections.get(record.id).answers)[0]
    inspections.attach_photo(inspector, record.id, first, make_jpeg(120 + seed, 90, color="orange"))
    sign_all(services, inspector, record.id)
    return inspections.finalize(inspector, record.id).id


def photo_path(services: Services, record_id: str) -> Path:
    record = services.inspections.get(record_id)
    sha = next(s for s, a in record.attachments.items() if a.kind == "photo")
    return services.home.attachments_dir / sha[:2] / sha


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = create_app()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        engine = open_engine(str(root / "hq.sqlite3"))
        hq = HQ(engine, root / "blobs")
        server = ServerThread(create_hq(hq))
        url = f"http://127.0.0.1:{server.port}"
        laptop = Services(DataHome(root / "laptop").ensure())
        prepare_demo_home(laptop, businesses=300)
        laptop.sync.retry = FAST_RETRY
        laptop.sync.enroll(url, hq.devices.issue_code("东宝区-笔记本-03").code)
        zhang, li = user(laptop, "zhangwei"), user(laptop, "lina")
        laptop.sync.sync()
        returned_id = finalize(laptop, zhang, li, 1)
        laptop.sync.push()

        supervisor = Services(DataHome(root / "supervisor").ensure())
        supervisor.sync.retry = FAST_RETRY
        supervisor.sync.enroll(url, hq.devices.issue_code("东宝区-审核-01", "supervisor", "东宝区").code)
        supervisor.sync.pull()
        boss = User("u-remote-boss", "zhaoke", "赵科长", Role.SUPERVISOR, badge_no="42080020150003")
        supervisor.review.return_(boss, returned_id, "第 3 项后厨照片看不清冷藏温度，请补拍并说明处理情况")
        supervisor.sync.push()

        refused_id = finalize(laptop, zhang, li, 2)
        finalize(laptop, zhang, li, 3)
        hidden = photo_path(laptop, refused_id)
        kept = hidden.read_bytes()
        hidden.unlink()  # the file went missing: HQ cannot get it, the item is refused with the reason

        admin_window = MainWindow(laptop, _admin(laptop), str(root / "laptop"))
        admin_window.setGeometry(0, 0, *SCREEN)
        admin_window.show()
        page = admin_window.show_page("sync")
        settle()
        page.sync_now()
        settle(2000)
        hidden.write_bytes(kept)
        finalize(laptop, zhang, li, 4)
        finalize(laptop, zhang, li, 5)
        admin_window.notify_data_changed()  # what the editor does after finalizing
        settle()
        admin_window.grab().save(str(out / "sync.png"), "PNG")
        admin_window.close()

        inspector_window = MainWindow(laptop, zhang, str(root / "laptop"))
        inspector_window.setGeometry(0, 0, *SCREEN)
        inspector_window.show()
        inspector_window.show_page("home")
        settle(1200)
        inspector_window.grab().save(str(out / "sync-home.png"), "PNG")
        inspector_window.close()

        supervisor.close()
        laptop.close()
        server.stop()
        engine.dispose()
    print(f"已保存截图：{out / 'sync.png'}、{out / 'sync-home.png'}")
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")))
