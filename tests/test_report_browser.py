"""The cohort report in a real browser: headless Chromium (Debian's package) driven by Selenium.

Runs when /usr/bin/chromium and /usr/bin/chromedriver exist (`apt-get install -y chromium
chromium-driver`; `.ci/run` installs them), and skips with that reason otherwise. Nothing is
downloaded at run time: the browser and its driver are named explicitly. A screenshot of
the page is kept in the test's temporary folder (its path is printed with `-s`).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from tests.test_report import cohort

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian's headless browser: apt-get install -y chromium chromium-driver",
)


@pytest.fixture
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    profile = tmp_path_factory.mktemp("chromium-profile")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1600,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def column(driver: Any, name: str) -> list[str]:
    from selenium.webdriver.common.by import By

    heads = [th.text.strip(" ▲▼") for th in driver.find_elements(By.CSS_SELECTOR, "#cases thead th")]
    index = heads.index(name) + 1
    cells = driver.find_elements(By.CSS_SELECTOR, f"#cases tbody tr:not([hidden]) td:nth-child({index})")
    return [c.text for c in cells]


def test_the_report_renders_sorts_filters_and_marks_the_overdue(
    run: Callable[..., Result], write_notes: Callable[..., Path], tmp_path: Path, browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    folder = cohort(write_notes, tmp_path)
    page = tmp_path / "report.html"
    assert run("report", folder, "-o", page, "--today", "2026-11-25").exit_code == 0
    browser.get(page.as_uri())

    assert browser.title == "Follow-ups: 3 cases, 2026-11-25"
    assert column(browser, "Candidate") == ["Aisha Bello", "Omar Haddad", "Priya <b>Raman</b>"]  # shown as text
    assert not browser.find_elements(By.CSS_SELECTOR, "#cases b")  # the notes' markup was not obeyed

    overdue = browser.find_elements(By.CSS_SELECTOR, "#cases tbody tr.overdue")
    assert len(overdue) == 1 and overdue[0].text.startswith("Priya <b>Raman</b>")
    flag = overdue[0].find_element(By.CSS_SELECTOR, ".flag")
    assert flag.text == "⚠ overdue 7 days"
    assert flag.value_of_css_property("color") == "rgba(179, 38, 30, 1)"  # and it stands out in colour
    plain = browser.find_elements(By.CSS_SELECTOR, "#cases tbody tr:not(.overdue) td")[0]
    assert plain.value_of_css_property("background-color") != overdue[0].find_element(
        By.TAG_NAME, "td"
    ).value_of_css_property("background-color")

    header = browser.find_element(By.XPATH, "//th[button='Latest round']/button")
    header.click()
    assert column(browser, "Latest round") == ["2026-10-01", "2026-11-18", "2026-11-23"]
    assert header.find_element(By.XPATH, "..").get_attribute("aria-sort") == "ascending"
    header.click()
    assert column(browser, "Latest round") == ["2026-11-23", "2026-11-18", "2026-10-01"]
    browser.find_element(By.XPATH, "//th[button='Candidate']/button").click()
    assert column(browser, "Candidate") == ["Aisha Bello", "Omar Haddad", "Priya <b>Raman</b>"]

    search = browser.find_element(By.ID, "filter")
    search.send_keys("globex")
    assert column(browser, "Candidate") == ["Omar Haddad"]
    assert browser.find_element(By.ID, "shown").text == "1"
    search.clear()
    search.send_keys(" ")  # clear() fires no input event; a blank filter shows everyone
    assert len(column(browser, "Candidate")) == 3
    Select(browser.find_element(By.ID, "state")).select_by_value("overdue")
    assert column(browser, "Candidate") == ["Priya <b>Raman</b>"]
    Select(browser.find_element(By.ID, "state")).select_by_value("written-off")
    assert column(browser, "Candidate") == ["Omar Haddad"]
    Select(browser.find_element(By.ID, "state")).select_by_value("")

    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not browser.find_element(By.ID, "filter").is_displayed()  # printed: the table, not the controls
    assert len(column(browser, "Candidate")) == 3
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
