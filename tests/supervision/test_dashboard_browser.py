"""The dashboard in headless Chromium: the charts draw, a click on a court's bar
drills down, a number opens the case list behind it, and 导出 Excel shows its
progress bar until the file can be downloaded (htmx polling)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser import log_in, screenshot
from tests.supervision.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click_bar(page: Page, chart_id: str, wanted: str) -> None:
    """Click the bar of ``chart_id`` whose data item has code ``wanted`` (canvas
    charts have no DOM per bar: ask ECharts where it drew it)."""
    x, y = page.evaluate(
        """([id, code]) => {
            const el = document.getElementById(id);
            const chart = echarts.getInstanceByDom(el);
            const data = chart.getOption().series[0].data;
            const i = data.findIndex(d => d.code === code);
            const [px, py] = chart.convertToPixel({seriesIndex: 0}, [i, Math.max(data[i].value, 1) / 2]);
            el.scrollIntoView({block: "center"});
            const box = el.getBoundingClientRect();
            return [box.left + px, box.top + py];
        }""",
        [chart_id, wanted],
    )
    page.mouse.click(x, y)


def test_drill_down_case_list_and_export(
    page, courts, clerk, handler, bureau_head, court_leader, monkeypatch
):
    from config.celery_app import app

    build_world(courts, clerk, handler, bureau_head)
    # the export runs at once (the settings come in under the CELERY_ namespace)
    monkeypatch.setitem(app.conf, "CELERY_TASK_ALWAYS_EAGER", True)
    assert app.conf.task_always_eager
    log_in(page, court_leader)

    page.goto("/supervision/")
    expect(page.locator("h1")).to_contain_text("监督看板")
    expect(page.locator("#chart-courts canvas")).to_have_count(1)
    expect(page.locator("#table-courts")).to_contain_text("济南市中级人民法院")
    screenshot(page, "supervision-dashboard")

    # a click on 鲁01's bar drills down to it
    with page.expect_navigation():
        click_bar(page, "chart-courts", "鲁01")
    assert "court=%E9%B2%8101" in page.url
    expect(page.locator("h1")).to_contain_text("济南市中级人民法院")
    expect(page.locator("#table-courts")).to_contain_text("历下区人民法院")
    expect(page.locator("#table-courts")).not_to_contain_text("青岛市中级人民法院")

    # the overdue CASE_DURATION number opens the cases behind it
    page.locator("#table-rules tr[data-rule=CASE_DURATION] td").nth(2).locator("a").click()
    expect(page.locator("#clock-list")).to_contain_text("(2026)鲁0102执501号")
    expect(page.locator("#clock-list")).not_to_contain_text("鲁0202")

    # export: the progress bar turns into a download link
    page.get_by_role("button", name="导出 Excel").click()
    done = page.locator(".export-progress[data-status=done]")
    expect(done).to_be_visible()
    with page.expect_download() as download:
        done.locator("a.export-download").click()
    assert download.value.suggested_filename.endswith(".xlsx")
