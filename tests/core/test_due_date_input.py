"""Issue 16: the due-date calculator's 起算日 shows today. A ``<input type=date>``
shows nothing for the locale's ``2026/12/06``; its value must be ISO ``2026-12-06``,
in Chinese and in English."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from core.forms import DueDateForm
from tests.browser import log_in


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_start_input_carries_todays_iso_date(client, handler, today, language):
    client.force_login(handler)
    with translation.override(language):
        body = client.get(reverse("core:calendar"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    start = re.search(r'<input[^>]*id="id_start"[^>]*>', body)
    assert start is not None
    assert re.search(r'type="date"', start.group(0))
    assert f'value="{today.isoformat()}"' in start.group(0)


def test_a_typed_start_is_shown_back_as_iso(today):
    form = DueDateForm({"start": today.isoformat(), "days": "5", "unit": "working_days"})
    assert form.is_valid()
    assert f'value="{today.isoformat()}"' in str(form["start"])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_browser_shows_the_start_date_filled(page, handler, today):
    log_in(page, handler)
    page.goto("/calendar/")
    start = page.locator("#id_start")
    expect(start).to_have_value(today.isoformat())  # an input that rejected its value reads ""
    expect(start).not_to_have_value("")
