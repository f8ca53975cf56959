"""Builders of enforcement data for tests: valid identity numbers, a case's REST
payload, and a case registered through the service."""

import datetime as dt
from decimal import Decimal

from core.identity import credit_code_check_char, resident_id_check_char
from enforcement.services.cases import CaseInput, PartyInput, PayoutAccountInput, case_register
from tests.conftest import at


def person_id(body17: str = "37010219900101123") -> str:
    return body17 + resident_id_check_char(body17)


def org_code(body17: str = "91370100MA3C00000") -> str:
    return body17 + credit_code_check_char(body17)


def case_payload(number: str = "(2026)鲁0102执1001号", **overrides) -> dict:
    payload = {
        "case_number": number,
        "court": "鲁0102",
        "filed_on": "2026-09-28",
        "received_at": "2026-09-30T10:00:00+08:00",
        "claim_amount": "100000.00",
        "basis_document": "(2026)鲁0102民初88号民事判决书",
        "applicants": [
            {
                "name": "张三", "kind": "person", "id_number": person_id(), "phone": "13800000000",
                "payout_account": {"bank": "中国工商银行济南分行", "account_number": "6222020200112233445", "holder": "张三"},
            }
        ],
        "respondents": [{"name": "某某公司", "kind": "organization", "id_number": org_code()}],
    }
    payload.update(overrides)
    return payload


def make_case(actor, court, number="(2026)鲁0102执1001号", received="2026-09-30 10:00", filed="2026-09-28", claim="100000.00", handler=None):
    return case_register(
        actor=actor,
        data=CaseInput(
            case_number=number,
            court=court,
            filed_on=dt.date.fromisoformat(filed),
            received_at=at(received),
            claim_amount=Decimal(claim),
            basis_document="(2026)鲁0102民初88号民事判决书",
            applicants=[PartyInput("张三", "person", person_id(), "13800000000",
                                   PayoutAccountInput("工商银行", "6222020200112233445", "张三"))],
            respondents=[PartyInput("某某公司", "organization", org_code())],
            handler=handler,
        ),
    )


def make_crowded_case(actor, court, number="(2026)鲁0102执5001号", claim="1234567.89", handler=None):
    """A case with two applicants (a person and a company) and three respondents (a company
    and two people), its claim in the millions: a row of a list at its widest."""
    return case_register(
        actor=actor,
        data=CaseInput(
            case_number=number,
            court=court,
            filed_on=dt.date(2026, 9, 28),
            received_at=at("2026-09-29 10:00"),
            claim_amount=Decimal(claim),
            basis_document="(2026)鲁0102民初188号民事判决书",
            applicants=[
                PartyInput("欧阳明华", "person", person_id("37010219800101123"), "13800000001",
                           PayoutAccountInput("中国工商银行济南分行", "6222020200112233445", "欧阳明华")),
                PartyInput("济南某某建设工程有限公司", "organization", org_code("91370100MA3C00001"),
                           payout_account=PayoutAccountInput("中国建设银行济南分行", "6217000010012345678",
                                                             "济南某某建设工程有限公司")),
            ],
            respondents=[
                PartyInput("山东某某置业集团有限公司", "organization", org_code("91370100MA3C00002")),
                PartyInput("李四", "person", person_id("37010219850101123"), "13900000002"),
                PartyInput("王五", "person", person_id("37010219870101123")),
            ],
            handler=handler,
        ),
    )


def approved_override(case, asset, requester, approver, reason: str = "唯一可供执行的财产，不能分割查封"):
    """An OVER_SEIZURE approval for ``asset``, asked by ``requester`` and approved by
    ``approver`` (maker ≠ checker; spec §7.3: no one approves his own override)."""
    from enforcement.services import closure

    approval = closure.approval_request(actor=requester, case=case, kind="over_seizure", reason=reason,
                                        payload={"asset": asset.pk})
    return closure.approval_decide(actor=approver, approval=approval, approve=True)


def launch_search(api, case_id: int) -> int:
    """An online search of the case through the API, launched and waiting for feedback."""
    launched = api.post(
        f"/api/v1/cases/{case_id}/asset-searches/",
        {"channel": "online", "launched_at": "2026-10-09T09:00:00+08:00"},
        format="json",
    )
    assert launched.status_code == 201, launched.content
    return launched.json()["id"]
