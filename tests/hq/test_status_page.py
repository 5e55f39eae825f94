"""The HQ status page and a record page in a real headless Chromium (Debian's chromium + chromium-driver,
driven by selenium), and HQ's PDF of a laptop-made record: the same bytes as the laptop's."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import timedelta

import httpx
import pytest

from inspector_app.core.clock import FixedClock
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.sync.protocol import record_payload, seal_record
from inspector_app.trust.keys import DeviceKey
from tests.builders import CHEAP_HASHER, T0
from tests.review_support import add_business, finalized_record

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def laptop_record(tmp_path_factory):
    """A record made through the laptop's real services: answered, signed, finalized, printed."""
    home = DataHome(tmp_path_factory.mktemp("laptop"))
    services = Services(home, FixedClock(T0 + timedelta(hours=2)), hasher=CHEAP_HASHER)
    record = services.inspections.get(finalized_record(services, add_business(services)))
    yield services, record, services.reports.render(record.id)
    services.close()


@pytest.fixture
def browser():
    if not (CHROMIUM and DRIVER):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver are required (scripts/bootstrap.sh installs them)")
        pytest.skip("chromium/chromedriver not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="inspector-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1600",
                 f"--user-data-dir={profile}"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def push_laptop_record(live, services, record):
    key = DeviceKey.generate()
    code = live.hq.devices.issue_code("东宝区-笔记本-01")
    client = live.client()
    client.enroll(code.code, record.device_id, key.public)
    payload = record_payload(record, seal_record(record, None, key, record.finalized_at))
    client.push_record(payload, services.inspections.attachment_bytes)
    return payload


def test_hq_prints_the_same_pdf_bytes_as_the_laptop(live, laptop_record):
    services, record, laptop_pdf = laptop_record
    push_laptop_record(live, services, record)
    response = httpx.get(f"{live.url}/records/{record.id}.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content == laptop_pdf


def test_status_and_record_pages_in_a_real_browser(live, laptop_record, browser, tmp_path):
    from selenium.webdriver.common.by import By

    services, record, _ = laptop_record
    push_laptop_record(live, services, record)
    httpx.post(f"{live.url}/v1/records", content=b"{broken")  # a refusal to show

    browser.get(live.url + "/")
    assert "总部状态" in browser.title
    devices = browser.find_element(By.ID, "devices").text
    assert "东宝区-笔记本-01" in devices and "已登记" in devices
    assert "东宝区" in browser.find_element(By.ID, "by-area").text
    assert "食品“三小”" in browser.find_element(By.ID, "by-area").text
    assert "no_token" in browser.find_element(By.ID, "refusals").text
    browser.save_screenshot(os.environ.get("HQ_SCREENSHOT", str(tmp_path / "status.png")))

    browser.find_element(By.LINK_TEXT, record.document_no).click()
    page = browser.find_element(By.ID, "record").text
    assert record.business.name in page and record.content_hash in page and "已同步" in page
    link = browser.find_element(By.ID, "pdf-link").get_attribute("href")
    assert link.endswith(f"/records/{record.id}.pdf")

    browser.get(live.url + "/queue?area=东宝区")
    queue = browser.find_element(By.ID, "queue").text
    assert "待审核" in queue and record.document_no in queue and record.business.name in queue


def _get(pages, path: str, handler: str, **params: str):
    import asyncio

    from starlette.requests import Request

    scope = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b"",
             "client": ("10.0.0.8", 5000), "path_params": params}  # fmt: skip
    return asyncio.run(getattr(pages, handler)(Request(scope)))


def test_pages_are_for_this_machine_only_unless_opened_up(hq):
    from inspector_app.hq.pages import Pages

    closed = _get(Pages(hq), "/", "status")
    assert closed.status_code == 403 and "本机" in closed.body.decode()
    assert _get(Pages(hq, public=True), "/", "status").status_code == 200
    assert _get(Pages(hq, public=True), "/records/x", "record", id="nope").status_code == 404
