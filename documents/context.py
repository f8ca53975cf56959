"""The data printed on a document, built from the case's records: one plain dict (strings,
lists and dicts only) that the Word template (docxtpl/Jinja) and the print HTML both read,
so the two formats always say the same thing.

The wording is the court's: a document is a legal instrument issued in Chinese, so its
text is not translated with the interface language (the page around it is).

Every variable a template may use is listed in ``VARIABLES`` (shown to administrators on
the template admin page); ``sample_context`` fills them all for validating an upload."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.identity import mask_account, mask_id
from core.money import amount_in_chinese_capitals, money_text
from documents import selectors
from documents.kinds import SPECS, DocumentKind
from documents.policy import CaseRecords
from enforcement.models import Case, PartyKind

VARIABLES: dict[str, str] = {
    "court_name": "法院名称",
    "title": "文书名称",
    "number": "文书编号",
    "case_number": "案号",
    "date": "落款日期（2026年12月6日）",
    "addressee": "受文人",
    "applicants": "申请执行人列表（每项含 name、kind、id_number）",
    "respondents": "被执行人列表（每项含 name、kind、id_number）",
    "applicant_names": "申请执行人姓名（顿号分隔）",
    "respondent_names": "被执行人姓名（顿号分隔）",
    "basis_document": "执行依据",
    "claim_amount": "申请执行标的（元）",
    "claim_amount_capitals": "申请执行标的（大写）",
    "costs": "执行费用（元）",
    "filed_on": "立案日期",
    "handler": "承办人",
    "legal_basis": "法律依据（现行条文，分号分隔）",
    "paragraphs": "正文段落列表",
}


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _party(p, *, whole_id: bool) -> dict:
    return {
        "name": p.name,
        "kind": "自然人" if p.kind == PartyKind.PERSON else "法人或其他组织",
        "id_number": p.id_number if whole_id else mask_id(p.id_number),
    }


def _names(parties: list) -> str:
    return "、".join(p.name for p in parties)


def _yuan(amount: Decimal | None) -> str:
    return money_text(amount) if amount is not None else "—"


def build(*, records: CaseRecords, kind: str, number: str, when: dt.datetime, subject=None) -> dict:
    """The context of document ``kind`` numbered ``number`` for ``records.case`` as of
    ``when``; ``subject`` is the record it is about (``CaseRecords.subjects``)."""
    case: Case = records.case
    spec = SPECS[kind]
    applicants = records.applicants
    respondents = records.respondents
    if kind in (DocumentKind.RESTRICTION_ORDER, DocumentKind.DISHONEST_DECISION) and subject is not None:
        respondents = [subject.party]  # the order binds the one respondent it was issued against
    basis = selectors.rule_bases(spec.rules)
    context: dict = {
        "kind": kind,
        "court_name": case.court.name,
        "title": str(DocumentKind(kind).label),
        "number": number,
        "case_number": case.case_number,
        "date": _cn_date(timezone.localdate(when)),
        "applicants": [_party(p, whole_id=False) for p in applicants],
        "respondents": [_party(p, whole_id=spec.served_original) for p in respondents],
        "applicant_names": _names(applicants),
        "respondent_names": _names(respondents),
        "basis_document": case.basis_document,
        "claim_amount": _yuan(case.claim_amount),
        "claim_amount_capitals": amount_in_chinese_capitals(case.claim_amount),
        "costs": _yuan(case.costs),
        "filed_on": _cn_date(case.filed_on),
        "handler": str(case.handler) if case.handler else "",
        "legal_basis": "；".join(basis),
    }
    context["addressee"], context["paragraphs"] = _BODIES[kind](case, context, subject)
    return context


# --- the body of each kind ------------------------------------------------------------------


def _acceptance(case: Case, c: dict, subject) -> tuple[str, list[str]]:
    return c["applicant_names"], [
        f"你（单位）申请执行{c['respondent_names']}一案，执行依据为{c['basis_document']}。"
        f"经审查，符合法定受理条件，本院已于{c['filed_on']}立案执行，案号为{c['case_number']}。",
        f"申请执行标的为人民币{c['claim_amount']}元（{c['claim_amount_capitals']}）。"
        "本案执行期限自立案之日起计算，依照" + (c["legal_basis"] or "有关规定") + "办理。",
        "在执行过程中，你（单位）可以向本院提供被执行人的财产线索；收款账户如有变更，应当书面申请。"
        + (f"本案承办人：{c['handler']}。" if c["handler"] else ""),
    ]


def _execution_notice(case: Case, c: dict, subject) -> tuple[str, list[str]]:
    return c["respondent_names"], [
        f"{c['applicant_names']}申请执行你（单位）一案，执行依据{c['basis_document']}已经发生法律效力，"
        f"本院已于{c['filed_on']}立案执行。",
        "依照"
        + (c["legal_basis"] or "有关法律规定")
        + "，责令你（单位）自收到本通知之日起立即履行下列义务：",
        f"一、向申请执行人支付人民币{c['claim_amount']}元（{c['claim_amount_capitals']}）；",
        f"二、负担执行费用人民币{c['costs']}元。",
        "逾期不履行的，本院将依法强制执行，并可以采取限制消费、纳入失信被执行人名单等措施。",
    ]


def _property_report(case: Case, c: dict, subject) -> tuple[str, list[str]]:
    return c["respondent_names"], [
        f"本院在执行{c['applicant_names']}申请执行你（单位）一案（{c['case_number']}）中，"
        "依照" + (c["legal_basis"] or "有关法律规定") + "，责令你（单位）自收到本令之日起五日内，"
        "如实向本院报告当前以及收到执行通知之日前一年的财产情况。",
        "报告的财产包括：收入、银行存款、现金、理财产品、有价证券；土地使用权、房屋等不动产；"
        "交通运输工具、机器设备、产品、原材料等动产；债权、股权、投资权益、基金份额、信托受益权、"
        "知识产权等财产性权利；其他应当报告的财产。",
        "拒绝报告或者虚假报告的，本院将根据情节轻重予以罚款、拘留；构成犯罪的，依法追究刑事责任。",
    ]


def _restriction(case: Case, c: dict, m) -> tuple[str, list[str]]:
    persons = [p for p in m.restricted_persons.all() if p.released_at is None] if m is not None else []
    lines = [
        f"本院在执行{c['applicant_names']}申请执行{c['respondent_names']}一案（{c['case_number']}）中，"
        f"因被执行人未按执行通知书指定的期间履行生效法律文书确定的给付义务，本院于"
        f"{_cn_date(timezone.localdate(m.issued_at))}决定对其采取限制消费措施。",
        "限制被执行人及其有关人员实施下列高消费及非生活和工作必需的消费行为：乘坐交通工具时选择飞机、"
        "列车软卧、轮船二等以上舱位；在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费；购买不动产"
        "或者新建、扩建、高档装修房屋；租赁高档写字楼、宾馆、公寓等场所办公；购买非经营必需车辆；旅游、"
        "度假；子女就读高收费私立学校；支付高额保费购买保险理财产品；乘坐G字头动车组列车全部座位、"
        "其他动车组列车一等以上座位等其他非生活和工作必需的消费行为。",
    ]
    if persons:
        lines.append(
            "被执行人为单位的，上述限制同样适用于："
            + "、".join(f"{p.get_role_display()}{p.name}" for p in persons)
            + "。"
        )
    lines.append(
        "被执行人履行完毕、提供确实有效的担保或者申请执行人同意解除的，本院将依照"
        + (c["legal_basis"] or "有关规定")
        + "及时解除限制消费令。"
    )
    return c["respondent_names"], lines


def _dishonest(case: Case, c: dict, m) -> tuple[str, list[str]]:
    return c["respondent_names"], [
        f"本院在执行{c['applicant_names']}申请执行{c['respondent_names']}一案（{c['case_number']}）中，"
        "被执行人具有履行能力而不履行生效法律文书确定的义务。",
        f"本院于{_cn_date(timezone.localdate(m.issued_at))}决定将被执行人{c['respondent_names']}"
        "纳入失信被执行人名单。",
        "被执行人认为将其纳入失信被执行人名单错误的，可以向本院申请纠正。被执行人履行完毕的，本院将依照"
        + (c["legal_basis"] or "有关规定")
        + "删除失信信息。",
    ]


def _measure_line(m) -> str:
    amount = f"，金额人民币{_yuan(m.amount)}元" if m.amount is not None else ""
    share = f"（{m.share}）" if m.share else ""
    return (
        f"{m.get_kind_display()}：{m.asset.category.name}·{m.asset.description}{share}{amount}，"
        f"期限自{_cn_date(timezone.localdate(m.effective_at))}起至{_cn_date(m.expires_on)}止"
    )


def _seizure(case: Case, c: dict, m) -> tuple[str, list[str]]:
    return c["respondent_names"], [
        f"本院在执行{c['applicant_names']}申请执行{c['respondent_names']}一案（{c['case_number']}）中，"
        f"执行依据{c['basis_document']}已经发生法律效力，被执行人未履行生效法律文书确定的义务。",
        "依照" + (c["legal_basis"] or "有关法律规定") + "，裁定如下：",
        _measure_line(m) + "。",
        "期限届满前，申请执行人可以申请续行查封、冻结；本裁定送达后立即生效。",
    ]


def _assistance(case: Case, c: dict, m) -> tuple[str, list[str]]:
    return f"{m.asset.category.name}的登记、开户或保管单位", [
        f"本院在执行{c['applicant_names']}申请执行{c['respondent_names']}一案（{c['case_number']}）中，"
        "已作出查封、冻结裁定。依照" + (c["legal_basis"] or "有关法律规定") + "，请协助执行下列事项：",
        _measure_line(m) + "。",
        "被执行人：" + "；".join(f"{r['name']}（证件号码{r['id_number']}）" for r in c["respondents"]) + "。",
        "请在协助执行后将回执交回本院。",
    ]


def _termination(case: Case, c: dict, subject) -> tuple[str, list[str]]:
    ruled = case.terminated_ruling_at or case.closed_at
    return c["respondent_names"], [
        f"本院在执行{c['applicant_names']}申请执行{c['respondent_names']}一案（{c['case_number']}）中，"
        "已向被执行人发出执行通知书、报告财产令，对被执行人采取了限制消费措施，"
        "通过网络执行查控系统对被执行人的财产进行了调查，已穷尽财产调查措施，"
        "未发现被执行人有可供执行的财产，并已约谈申请执行人。",
        f"经执行局长批准{('（' + _cn_date(timezone.localdate(ruled)) + '）') if ruled else ''}，"
        "依照" + (c["legal_basis"] or "有关规定") + "，裁定如下：",
        "终结本次执行程序。申请执行人发现被执行人有可供执行财产的，可以再次申请执行；"
        "本院将定期通过网络执行查控系统查询被执行人的财产。",
        "被执行人负有继续向申请执行人履行债务的义务；限制消费措施继续有效。本裁定送达后立即生效。",
    ]


def _payment(case: Case, c: dict, d) -> tuple[str, list[str]]:
    account = getattr(case, "fund_account", None)
    return "本院财务部门", [
        f"本院执行的{c['case_number']}案件，执行款已存入本案案款账户"
        + (f"（账号{account.number}）" if account is not None and account.number else "")
        + "。下列款项经审批同意发放，请自收到本通知之日起五个工作日内支付至收款人账户"
        + ("（" + c["legal_basis"] + "）" if c["legal_basis"] else "")
        + "：",
        f"收款人：{d.holder}；开户行：{d.bank or '—'}；收款账号：{mask_account(d.account_number)}。",
        f"金额：人民币{_yuan(d.amount)}元（{amount_in_chinese_capitals(d.amount)}）。",
        f"承办人：{d.drafted_by}；审批：{d.approved_by or '—'}"
        + (f"（{_cn_date(timezone.localdate(d.approved_at))}）" if d.approved_at else "")
        + "。",
        "收款账号已脱敏显示，付款以系统登记的收款账户为准。",
    ]


_BODIES: dict[str, Callable[[Case, dict, Any], tuple[str, list[str]]]] = {
    DocumentKind.ACCEPTANCE_NOTICE: _acceptance,
    DocumentKind.EXECUTION_NOTICE: _execution_notice,
    DocumentKind.PROPERTY_REPORT_ORDER: _property_report,
    DocumentKind.RESTRICTION_ORDER: _restriction,
    DocumentKind.DISHONEST_DECISION: _dishonest,
    DocumentKind.SEIZURE_RULING: _seizure,
    DocumentKind.ASSISTANCE_NOTICE: _assistance,
    DocumentKind.TERMINATION_RULING: _termination,
    DocumentKind.PAYMENT_NOTICE: _payment,
}


def sample_context(kind: str) -> dict:
    """Every variable filled with a plausible value: an uploaded template must render
    with it (``services.templates.template_check``)."""
    party = {"name": "张三", "kind": "自然人", "id_number": "370102********1231"}
    org = {"name": "某某有限公司", "kind": "法人或其他组织", "id_number": "913701********000E"}
    return {
        "kind": kind,
        "court_name": "某某区人民法院",
        "title": str(DocumentKind(kind).label),
        "number": f"(2026)鲁0102{SPECS[kind].mark}字第1号",
        "case_number": "(2026)鲁0102执1号",
        "date": "2026年1月5日",
        "addressee": "某某有限公司",
        "applicants": [party],
        "respondents": [org],
        "applicant_names": party["name"],
        "respondent_names": org["name"],
        "basis_document": "(2025)鲁0102民初1号民事判决书",
        "claim_amount": "100,000.00",
        "claim_amount_capitals": "壹拾万元整",
        "costs": "1,000.00",
        "filed_on": "2026年1月4日",
        "handler": "李四",
        "legal_basis": "；".join(selectors.rule_bases(SPECS[kind].rules)) or "有关法律规定",
        "paragraphs": ["正文第一段。", "正文第二段。"],
    }
