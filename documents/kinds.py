"""The documents a case's nodes produce (文书自动生成, 322号 §12), their formats and, per
kind, what the court prints on it: the title, the number's 代字, the clock rules whose
articles are its legal basis, and whether it is a served original (送达原件).

A served original carries the whole ID number of the respondent it binds: it is the
instrument served on that person, or sent to the bank or registry that must find
them (协助执行通知书), and an instrument that does not identify its addressee
cannot be served or executed. Every other document — the 受理通知书 sent to the
applicant, the 支付案款通知 that stays inside the court — identifies the parties by
name and prints ID numbers masked (DESIGN "Who sees what"). Applicants' ID numbers
are masked on every document: none binds them."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    ACCEPTANCE_NOTICE = "acceptance_notice", _("受理通知书")
    EXECUTION_NOTICE = "execution_notice", _("执行通知书")
    PROPERTY_REPORT_ORDER = "property_report_order", _("报告财产令")
    RESTRICTION_ORDER = "restriction_order", _("限制消费令")
    DISHONEST_DECISION = "dishonest_decision", _("纳入失信被执行人名单决定书")
    SEIZURE_RULING = "seizure_ruling", _("查封、冻结裁定书")
    ASSISTANCE_NOTICE = "assistance_notice", _("协助执行通知书")
    TERMINATION_RULING = "termination_ruling", _("终结本次执行程序裁定书")
    PAYMENT_NOTICE = "payment_notice", _("支付案款通知")


class DocumentFormat(models.TextChoices):
    DOCX = "docx", _("Word")
    PDF = "pdf", _("PDF")


CONTENT_TYPES = {
    DocumentFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentFormat.PDF: "application/pdf",
}


@dataclass(frozen=True)
class KindSpec:
    # 文书代字 of the number: "(2026)鲁0102执通字第12号"
    mark: str
    # catalogue rules (``core.rule_catalogue``) whose article in force is printed as the basis
    rules: tuple[str, ...]
    # whether the respondent's whole ID number is printed (module docstring)
    served_original: bool


SPECS: dict[str, KindSpec] = {
    DocumentKind.ACCEPTANCE_NOTICE: KindSpec("执受", ("CASE_DURATION",), served_original=False),
    DocumentKind.EXECUTION_NOTICE: KindSpec("执通", ("EXECUTION_NOTICE",), served_original=True),
    DocumentKind.PROPERTY_REPORT_ORDER: KindSpec("执报", ("EXECUTION_NOTICE",), served_original=True),
    DocumentKind.RESTRICTION_ORDER: KindSpec("执限", ("RESTRICTION_RELEASE",), served_original=True),
    DocumentKind.DISHONEST_DECISION: KindSpec("执失", ("DISHONEST_DELETE",), served_original=True),
    DocumentKind.SEIZURE_RULING: KindSpec("执裁", ("CONTROL_EXPIRY",), served_original=True),
    DocumentKind.ASSISTANCE_NOTICE: KindSpec("执协助", ("CONTROL_EXPIRY",), served_original=True),
    DocumentKind.TERMINATION_RULING: KindSpec("执终", ("TERMINATED_RESEARCH",), served_original=True),
    DocumentKind.PAYMENT_NOTICE: KindSpec("执款", ("FUNDS_NOTICE", "FUNDS_PAYMENT"), served_original=False),
}


def document_number(*, year: int, court_code: str, kind: str, sequence: int) -> str:
    """The document's number in the layout of a case number (法〔2015〕137号: 年度 in
    half-width brackets, 法院代字), with the kind's 代字 and the court's running number."""
    return f"({year}){court_code}{SPECS[kind].mark}字第{sequence}号"
