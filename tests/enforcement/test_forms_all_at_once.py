"""Issue 16, forms: every field's error in one answer (page and REST), the cross-field
rules of a registration both ways, one wording per kind of mistake, required marks
and the errors tied to their inputs."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse

import custody_funds.forms  # noqa: F401 - imported so that its forms are found below
import dualcheck.forms  # noqa: F401
import enforcement.forms  # noqa: F401
from core import messages
from core.exceptions import ValidationFailed
from core.forms import ASCII_ONLY, MoneyFormField
from core.models import Role
from enforcement.models import Case
from enforcement.services import cases as case_services
from enforcement.services.cases import CaseInput, PartyInput, PayoutAccountInput, case_number_year_check
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import case_payload, org_code, person_id
from tests.enforcement.test_views import APPLICANT_ID, RESPONDENT_CODE, field_block, register_data

BAD_ID = APPLICANT_ID[:-1] + ("0" if APPLICANT_ID[-1] != "0" else "1")  # wrong check character
BAD_CODE = RESPONDENT_CODE[:-1] + ("0" if RESPONDENT_CODE[-1] != "0" else "1")


def errors_of(html: str, name: str) -> list[str]:
    return re.findall(r'<p class="field-error" role="alert">(.*?)</p>', field_block(html, name), re.S)


# --- every field at once -------------------------------------------------------------------


def test_case_form_with_four_bad_fields_answers_once_with_four_field_errors(client, courts, clerk):
    client.force_login(clerk)
    data = register_data(
        courts,
        case_number="(2026)鲁0102民初1号",
        claim_amount="-5",
        **{"applicants-0-id_number": BAD_ID, "respondents-0-id_number": BAD_CODE},
    )
    response = client.post(reverse("enforcement:case-new"), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert errors_of(body, "case_number") and "类型代字" in errors_of(body, "case_number")[0]
    assert errors_of(body, "claim_amount") == [str(messages.AMOUNT_NOT_POSITIVE)]
    assert "校验码" in errors_of(body, "applicants-0-id_number")[0]
    assert "统一社会信用代码" in errors_of(body, "respondents-0-id_number")[0]
    assert not Case.objects.exists()


def test_a_field_the_form_refuses_does_not_hide_the_services_rules(client, courts, clerk):
    client.force_login(clerk)
    data = register_data(courts, basis_document="", costs="-1", **{"applicants-0-id_number": BAD_ID})
    response = client.post(reverse("enforcement:case-new"), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert errors_of(body, "basis_document") == [str(forms.Field.default_error_messages["required"])]
    assert errors_of(body, "costs") == [str(messages.AMOUNT_NEGATIVE)]
    assert "校验码" in errors_of(body, "applicants-0-id_number")[0]
    # a refused input keeps the form's message only
    missing = client.post(
        reverse("enforcement:case-new"), register_data(courts, **{"respondents-0-id_number": ""})
    )
    assert len(errors_of(missing.content.decode(), "respondents-0-id_number")) == 1
    assert not Case.objects.exists()


def test_rest_with_four_bad_fields_answers_once_in_the_contracts_shape(api):
    payload = case_payload("(2026)鲁0102民初1号", claim_amount="-5.00")
    payload["applicants"][0]["id_number"] = BAD_ID
    payload["respondents"][0]["id_number"] = BAD_CODE
    response = api.post("/api/v1/cases/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "extra"} and body["code"] == "invalid"
    fields = body["extra"]["fields"]
    assert set(fields) == {
        "case_number",
        "claim_amount",
        "applicants[0].id_number",
        "respondents[0].id_number",
    }
    assert fields["claim_amount"] == [str(messages.AMOUNT_NOT_POSITIVE)]
    assert not Case.objects.exists()


def test_rest_service_rules_answer_every_field_when_the_body_parses(api):
    payload = case_payload("(2025)鲁0102执902号", costs="-1.00")
    payload["respondents"][0]["id_number"] = BAD_CODE
    body = api.post("/api/v1/cases/", payload, format="json").json()
    assert set(body["extra"]["fields"]) == {"case_number", "costs", "respondents[0].id_number"}
    assert body["extra"]["fields"]["costs"] == [str(messages.AMOUNT_NEGATIVE)]
    assert not Case.objects.exists()


# --- 案号 year vs 立案日期 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "refused"), [("(2025)鲁0102执902号", True), ("(2026)鲁0102执902号", False)]
)
def test_year_rule_on_the_form_both_ways(client, courts, clerk, number, refused):
    client.force_login(clerk)
    data = register_data(courts, case_number=number, filed_on="2026-11-20", received_at="2026-11-20T09:00")
    response = client.post(reverse("enforcement:case-new"), data)
    if refused:
        assert response.status_code == 422
        [error] = errors_of(response.content.decode(), "case_number")
        assert error == str(messages.CASE_NUMBER_YEAR % {"number_year": 2025, "filed_year": 2026})
        assert not Case.objects.exists()
    else:
        assert response.status_code == 302
        assert Case.objects.get().case_number == number


def test_year_rule_on_rest_both_ways(api):
    refused = api.post("/api/v1/cases/", case_payload("(2025)鲁0102执902号"), format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "case_number_year"
    assert "case_number" in refused.json()["extra"]["fields"]
    accepted = api.post("/api/v1/cases/", case_payload("(2026)鲁0102执902号"), format="json")
    assert accepted.status_code == 201


@pytest.mark.parametrize(
    ("number_year", "filed_on", "allowed"),
    [
        (2026, dt.date(2026, 1, 1), True),
        (2025, dt.date(2026, 1, 7), True),  # received late December, filed within 7 days (登记立案规定 §8)
        (2025, dt.date(2026, 1, 8), False),
        (2025, dt.date(2026, 12, 6), False),
        (2027, dt.date(2026, 12, 30), False),  # 收案 never follows 立案
        (2024, dt.date(2026, 1, 3), False),
    ],
)
def test_case_number_year_rule(number_year, filed_on, allowed):
    assert case_number_year_check(number_year, filed_on) is allowed


def test_a_case_received_in_late_december_keeps_last_years_number(clerk, courts):
    case = case_services.case_register(
        actor=clerk,
        data=_case_input(
            courts, number="(2025)鲁0102执5号", filed_on=dt.date(2026, 1, 5), received="2026-01-05 09:00"
        ),
    )
    assert case.case_number == "(2025)鲁0102执5号"


# --- a party on both sides ------------------------------------------------------------------


def test_same_id_on_both_sides_is_refused_on_the_form(client, courts, clerk):
    client.force_login(clerk)
    data = register_data(
        courts,
        **{
            "respondents-0-kind": "person",
            "respondents-0-name": "张三",
            "respondents-0-id_number": APPLICANT_ID,
        },
    )
    response = client.post(reverse("enforcement:case-new"), data)
    assert response.status_code == 422
    assert errors_of(response.content.decode(), "respondents-0-id_number") == [str(messages.PARTY_BOTH_SIDES)]
    assert not Case.objects.exists()


def test_same_id_on_both_sides_is_refused_on_rest_and_different_people_pass(api):
    payload = case_payload()
    payload["respondents"] = [{"name": "张三", "kind": "person", "id_number": person_id()}]
    body = api.post("/api/v1/cases/", payload, format="json").json()
    assert body["code"] == "party_on_both_sides"
    assert body["extra"]["fields"] == {"respondents[0].id_number": [str(messages.PARTY_BOTH_SIDES)]}
    payload["respondents"] = [{"name": "张三", "kind": "person", "id_number": person_id("37010219850505123")}]
    assert api.post("/api/v1/cases/", payload, format="json").status_code == 201  # a namesake


@pytest.mark.parametrize(("respondent", "same"), [(" 张三 ", True), ("李四", False)])
def test_same_name_without_an_id_is_the_same_party(respondent, same):
    errors, _number = case_services.case_values_errors(
        {},
        court=None,
        applicants=[PartyInput("张三", "person", person_id())],
        respondents=[PartyInput(respondent, "person", "")],
    )
    assert (str(messages.PARTY_BOTH_SIDES) in errors.fields.get("respondents[0].name", [])) is same


# --- the handler is of the court -------------------------------------------------------------


def test_handler_of_another_court_is_refused_by_the_service_with_the_other_fields(clerk, courts):
    stranger = make_member(Role.HANDLER, courts.lu0103, "stranger_handler")
    data = _case_input(courts, handler=stranger, claim="0")
    with pytest.raises(ValidationFailed) as refused:
        case_services.case_register(actor=clerk, data=data)
    fields = refused.value.extra["fields"]
    assert fields["handler"] == [str(messages.HANDLER_NOT_OF_COURT)]
    assert fields["claim_amount"] == [str(messages.AMOUNT_NOT_POSITIVE)]
    assert not Case.objects.exists()


def test_a_taken_number_and_a_future_time_are_named_with_the_other_mistakes(clerk, courts, case):
    """Alone they keep their own answers (409 duplicate_case_number, 422 node_in_future);
    beside another mistake all of them come in one answer (issue 16)."""
    data = _case_input(courts, number=case.case_number, received="2026-11-25 10:00", claim="0")
    with pytest.raises(ValidationFailed) as refused:
        case_services.case_register(actor=clerk, data=data)
    fields = refused.value.extra["fields"]
    assert fields["claim_amount"] == [str(messages.AMOUNT_NOT_POSITIVE)]
    assert "已存在" in fields["case_number"][0] and "晚于当前时间" in fields["received_at"][0]
    assert Case.objects.count() == 1


def test_handler_of_the_court_is_accepted(clerk, handler, courts):
    case = case_services.case_register(actor=clerk, data=_case_input(courts, handler=handler))
    assert case.handler == handler


def test_handler_of_another_court_on_rest_names_it_with_the_other_fields(api, courts):
    make_member(Role.HANDLER, courts.lu0103, "stranger_handler")
    body = api.post(
        "/api/v1/cases/", case_payload(handler="stranger_handler", claim_amount="0"), format="json"
    ).json()
    assert body["extra"]["fields"]["handler"] == [str(messages.HANDLER_NOT_OF_COURT)]
    assert "claim_amount" in body["extra"]["fields"]


def test_the_form_offers_only_people_of_the_court(client, courts, clerk, handler):
    make_member(Role.HANDLER, courts.lu0103, "stranger_handler")
    client.force_login(clerk)
    body = client.get(reverse("enforcement:case-new")).content.decode()
    assert "handler" in body and "stranger_handler" not in body


@pytest.mark.parametrize("role", [Role.CLERK, Role.FINANCE, Role.CASE_SUPERVISOR])
def test_only_handlers_and_the_bureau_head_can_be_the_handler(client, courts, clerk, handler, role):
    """The handler list holds handlers (and the bureau head, who may take a case), not
    the court's clerks or finance (issue 16)."""
    other = make_member(role, courts.lu0102, f"not-a-handler-{role}")
    head = make_member(Role.BUREAU_HEAD, courts.lu0102, "head-takes-cases")
    client.force_login(clerk)
    body = client.get(reverse("enforcement:case-new")).content.decode()
    assert f'value="{handler.pk}"' in body and f'value="{head.pk}"' in body
    assert f'value="{other.pk}"' not in body
    with pytest.raises(ValidationFailed) as refused:
        case_services.case_register(actor=clerk, data=_case_input(courts, handler=other))
    assert refused.value.extra["fields"]["handler"] == [str(messages.HANDLER_NOT_OF_COURT)]


# --- one wording per kind of mistake ------------------------------------------------------------


def _money_fields() -> list[tuple[str, str, MoneyFormField]]:
    found, stack = [], list(forms.Form.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        found += [
            (cls.__name__, name, field)
            for name, field in cls.base_fields.items()
            if isinstance(field, MoneyFormField)
        ]
    return found


def test_every_money_field_of_every_form_says_the_same_for_the_same_mistake():
    fields = _money_fields()
    assert len(fields) >= 15  # the case form, measures, seizures, disbursements, fines...
    table = {
        "12.345": messages.AMOUNT_PLACES,
        "12345678901234567": messages.AMOUNT_TOO_LARGE,
        "一百": messages.AMOUNT_INVALID,
        "abc": messages.AMOUNT_INVALID,
    }
    for form_name, name, field in fields:
        for value, expected in table.items():
            with pytest.raises(forms.ValidationError) as refused:
                field.clean(value)
            said = refused.value.messages[0]
            # full-width digits are refused as such before they are parsed
            assert said in (str(expected), str(ASCII_ONLY)), (form_name, name, value, said)
        if field.min_value is not None:
            with pytest.raises(forms.ValidationError) as refused:
                field.clean("-1")
            assert refused.value.messages == [str(messages.AMOUNT_NEGATIVE)], (form_name, name)


def test_django_default_number_messages_never_reach_a_money_field():
    field = MoneyFormField(max_digits=16, decimal_places=2, min_value=0)
    for value in ("-1", "12345678901234567", "1.234"):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(value)
        assert not any("确保" in m or "确认" in m for m in refused.value.messages)


def test_zero_amount_reads_the_same_on_the_form_and_on_rest(client, api, courts, clerk):
    client.force_login(clerk)
    page = client.post(reverse("enforcement:case-new"), register_data(courts, claim_amount="0"))
    rest = api.post("/api/v1/cases/", case_payload(claim_amount="0"), format="json").json()
    assert errors_of(page.content.decode(), "claim_amount") == rest["extra"]["fields"]["claim_amount"]
    assert rest["extra"]["fields"]["claim_amount"] == [str(messages.AMOUNT_NOT_POSITIVE)]


# --- required marks, errors tied to their inputs ---------------------------------------------------


def test_required_fields_are_marked_for_eyes_and_screen_readers(client, courts, clerk):
    client.force_login(clerk)
    body = client.get(reverse("enforcement:case-new")).content.decode()
    required = field_block(body, "case_number")
    assert '<span aria-hidden="true">*</span><span class="visually-hidden">（必填）</span>' in required
    assert "（必填）" not in field_block(body, "team")


def test_errors_and_hints_are_tied_to_their_input(client, courts, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("enforcement:case-new"), register_data(courts, case_number="(2026)鲁0102民初1号")
    )
    block = field_block(response.content.decode(), "case_number")
    described = re.search(r'<input[^>]*name="case_number"[^>]*aria-describedby="([^"]+)"', block)
    assert described and set(described.group(1).split()) == {
        "id_case_number_helptext",
        "id_case_number_error",
    }
    assert 'id="id_case_number_error"' in block and 'id="id_case_number_helptext"' in block
    assert 'aria-invalid="true"' in block


# --- helpers -----------------------------------------------------------------------------------


def _case_input(
    courts,
    *,
    number="(2026)鲁0102执7001号",
    filed_on=dt.date(2026, 9, 28),
    received="2026-09-30 10:00",
    claim="100000.00",
    handler=None,
) -> CaseInput:
    return CaseInput(
        case_number=number,
        court=courts.lu0102,
        filed_on=filed_on,
        received_at=at(received),
        claim_amount=Decimal(claim),
        basis_document="(2026)鲁0102民初88号民事判决书",
        applicants=[
            PartyInput(
                "张三",
                "person",
                person_id(),
                "13800000000",
                PayoutAccountInput("工商银行", "6222020200112233445", "张三"),
            )
        ],
        respondents=[PartyInput("某某公司", "organization", org_code())],
        handler=handler,
    )


def test_search_feedback_names_the_time_and_every_bad_row_at_once(clerk, courts):
    from enforcement.services import assets as asset_services

    case = case_services.case_register(actor=clerk, data=_case_input(courts))
    search = asset_services.search_launch(
        actor=clerk, case=case, channel="online", category_codes=None, launched_at=at("2026-10-09 09:00")
    )
    with pytest.raises(ValidationFailed) as refused:
        asset_services.search_record_feedback(
            actor=clerk,
            search=search,
            received_at=at("2026-10-08 15:00"),  # before the search was launched
            findings=[
                asset_services.FindingInput("bank_deposit", " ", Decimal("10.00"), False),
                asset_services.FindingInput("bank_deposit", "工商银行账户", Decimal("-1.00"), False),
            ],
        )
    fields = refused.value.extra["fields"]
    assert set(fields) == {"received_at", "findings[0].description", "findings[1].value"}
    assert fields["findings[1].value"] == [str(messages.AMOUNT_NEGATIVE)]
