"""Issue 17: names a person types (parties, the payout account's holder, petitioners,
officers named in a 一案双查 clue) refuse invisible, control and direction-reversing
characters, and a case number's 案件编号 of forty digits is refused — a 400 in the
contract's shape naming the field (the browser form: beside the field), nothing written."""

import re

import pytest
from django.test import Client

from core.case_numbers import parse_case_number
from core.exceptions import ValidationFailed
from core.services.inputs import name_problem
from tests.enforcement.factories import case_payload
from tests.security import test_bad_input
from tests.security.test_bad_input import (  # the module's world and helpers, not its tests
    _with_party,
    changes,
    petition,
    post_refused,
    register_form,
    snapshot,
    token_client,
)

# The module's light world (fixtures), shared rather than built again.
world = test_bad_input.world
w = test_bad_input.w

BAD_NAMES = [
    "\u200b",  # only a zero-width space
    "张\u200b三",  # a zero-width space inside
    "\ufeff",  # a BOM
    "张三\u0007",  # BEL
    "张\n三",  # a line break
    "张\t三",
    "\u202e司公某某",  # right-to-left override
    "某某\u2066公司\u2069",  # an isolate
    "张三\u200f",  # right-to-left mark
]
FORTY_DIGITS = "(2026)鲁0102执" + "1" * 40 + "号"


@pytest.mark.parametrize("value", BAD_NAMES)
def test_name_problem_names_each_kind(value):
    assert name_problem(value)


@pytest.mark.parametrize(
    "value", ["张三", "某某有限责任公司", "O'Brien Smith", "阿卜杜热合曼·买买提", "ＡＢＣ公司"]
)
def test_ordinary_names_pass(value):
    assert name_problem(value) is None


@pytest.mark.parametrize("value", BAD_NAMES)
@pytest.mark.parametrize("role", ["applicants", "respondents"])
def test_a_bad_party_name_is_a_400_naming_the_field(w, role, value):
    body = post_refused(
        token_client(w),
        "/api/v1/cases/",
        _with_party(role, name=value),
        field=f"{role}[0].name",
        code="invalid_name",
    )
    assert list(body["extra"]["fields"]) == [f"{role}[0].name"]


def test_a_bad_payout_account_holder_is_refused(w):
    payload = case_payload("(2026)鲁0102执1602号")
    payload["applicants"][0]["payout_account"]["holder"] = "张\u202e三"
    post_refused(token_client(w), "/api/v1/cases/", payload, field="applicants[0].payout_account.holder")


@pytest.mark.parametrize("value", ["\u200b", "王\u202e五", "王\r\n五"])
def test_a_bad_petitioner_name_is_refused(w, value):
    post_refused(
        token_client(w), "/api/v1/petitions/", petition(petitioner_name=value), field="petitioner_name"
    )


def test_a_forty_digit_case_sequence_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        parse_case_number(FORTY_DIGITS)
    assert exc.value.code == "invalid_case_number" and "最多 10 位" in str(exc.value.message)
    assert parse_case_number("(2026)鲁0102执9999999999号").sequence == 9_999_999_999


def test_a_forty_digit_case_sequence_is_a_400_naming_the_field(w):
    post_refused(token_client(w), "/api/v1/cases/", case_payload(FORTY_DIGITS), field="case_number")


def _error_beside(html: str, field: str) -> str:
    block = re.search(rf'data-field="{re.escape(field)}">(.*?)</div>', html, re.S)
    assert block, field
    errors = re.findall(r'<p class="field-error" role="alert">(.*?)</p>', block.group(1), re.S)
    assert errors, (field, block.group(1))
    return errors[0]


@pytest.mark.parametrize("value", ["\u200b", "张\u0007三", "\u202e三张"])
def test_the_register_form_shows_a_bad_name_beside_its_field(w, value):
    browser = Client()
    browser.force_login(w.matrix.users["clerk"])
    before = snapshot()
    response = browser.post("/cases/new/", register_form(w, **{"applicants-0-name": value}))
    assert response.status_code in (400, 422), response.status_code
    assert "字符" in _error_beside(response.content.decode(), "applicants-0-name")
    assert changes(before, snapshot()) == []


def test_the_register_form_shows_a_forty_digit_case_number_beside_its_field(w):
    browser = Client()
    browser.force_login(w.matrix.users["clerk"])
    before = snapshot()
    response = browser.post("/cases/new/", register_form(w, case_number=FORTY_DIGITS))
    assert response.status_code in (400, 422), response.status_code
    assert "最多 10 位" in _error_beside(response.content.decode(), "case_number")
    assert changes(before, snapshot()) == []
