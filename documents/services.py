"""Writes of the documents app: generating a case's document (numbered from the court's
sequence and kept on the case) and replacing a kind's Word template."""

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_record
from core.exceptions import PermissionDenied, RuleViolation, ValidationFailed
from core.models import User
from core.services.events import node_event_record
from documents import context as doc_context
from documents import policy, selectors
from documents.events import DocumentNode
from documents.kinds import SPECS, DocumentFormat, DocumentKind, document_number
from documents.models import DocumentCounter, DocumentTemplate, GeneratedDocument
from documents.rendering import (
    DEFAULT_TEMPLATE_VERSION,
    TemplateBroken,
    default_template,
    render_docx,
    render_pdf,
)
from enforcement.models import Case

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
PREREQUISITES_UNMET = "document_prerequisites_unmet"


def kind_check(kind: object) -> str:
    if not isinstance(kind, str) or kind not in DocumentKind.values:
        raise ValidationFailed.for_field(
            "kind",
            _("文书种类无效，可选：%(kinds)s。") % {"kinds": "、".join(DocumentKind.values)},
            code="invalid_choice",
        )
    return kind


def format_check(fmt: object) -> str:
    if not isinstance(fmt, str) or fmt not in DocumentFormat.values:
        raise ValidationFailed.for_field(
            "format", _("文书格式无效，可选：docx（Word）或 pdf。"), code="invalid_choice"
        )
    return fmt


def prerequisites_check(records: policy.CaseRecords, kind: str) -> None:
    """422 naming each record the case lacks for ``kind`` (``extra.missing``)."""
    missing = policy.missing_for(records, kind)
    if missing:
        raise RuleViolation(
            _("本案暂不能生成%(kind)s，尚缺：%(missing)s。")
            % {"kind": DocumentKind(kind).label, "missing": "；".join(missing)},
            code=PREREQUISITES_UNMET,
            extra={"kind": kind, "missing": missing},
        )


def _subject(records: policy.CaseRecords, kind: str, subject_id: int | None):
    """The record the document is about: the one asked for, else the newest."""
    subjects = records.subjects(kind)
    if subject_id is None:
        return subjects[0] if subjects else None
    found = next((s for s in subjects if s.pk == subject_id), None)
    if found is None:
        raise ValidationFailed.for_field(
            "subject", _("本案没有可据以生成该文书的这项记录。"), code="invalid_subject"
        )
    return found


def _next_sequence(*, court_id: int, kind: str, year: int) -> int:
    """The court's next number for ``kind`` in ``year``. One statement takes it and keeps
    the counter row locked until the caller's transaction ends: concurrent generations
    wait for each other and never share a number; a rollback gives the number back."""
    table = DocumentCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (court_id, kind, year, last) VALUES (%s, %s, %s, 1) "  # noqa: S608 (table name is ours)
            f"ON CONFLICT (court_id, kind, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [court_id, kind, year],
        )
        return cursor.fetchone()[0]


def _word_template(kind: str) -> tuple[bytes, str]:
    uploaded = selectors.template_of(kind)
    if uploaded is not None:
        return bytes(uploaded.content), uploaded.version_label
    return default_template(), DEFAULT_TEMPLATE_VERSION


@dataclass(frozen=True)
class _Rendered:
    content: bytes
    template_version: str


def _render(kind: str, fmt: str, context: dict) -> _Rendered:
    if fmt == DocumentFormat.PDF:
        return _Rendered(render_pdf(context), "print-v1")
    template, version = _word_template(kind)
    try:
        return _Rendered(render_docx(template, context), version)
    except TemplateBroken as exc:
        raise RuleViolation(
            _("本院的%(kind)s模板无法使用：%(error)s 请管理员在后台更换或删除该模板。")
            % {"kind": DocumentKind(kind).label, "error": exc},
            code="document_template_broken",
            extra={"kind": kind},
        ) from exc


def document_generate(
    *, actor: User, case: Case, kind: str, fmt: str, subject_id: int | None = None, request=None
) -> GeneratedDocument:
    """Generate document ``kind`` of ``case`` as ``fmt`` and keep it on the case.

    ``case`` comes from ``selectors.case_for_documents`` (visible to ``actor``, parties
    prefetched). Refuses: 403 who may not, 422 what the case lacks, 400 a ``subject_id``
    that is not one of the case's eligible records."""
    kind_check(kind)
    format_check(fmt)
    if not policy.can_generate_at(actor, case.court, kind):
        raise PermissionDenied(_("只有本院的承办人或执行局长可以生成该文书（书记员可以生成受理通知书）。"))
    records = policy.CaseRecords(case)
    prerequisites_check(records, kind)
    subject = _subject(records, kind, subject_id)
    with transaction.atomic():
        now = timezone.now()
        year = timezone.localdate(now).year
        sequence = _next_sequence(court_id=case.court_id, kind=kind, year=year)
        number = document_number(year=year, court_code=case.court.code, kind=kind, sequence=sequence)
        context = doc_context.build(records=records, kind=kind, number=number, when=now, subject=subject)
        rendered = _render(kind, fmt, context)
        document = GeneratedDocument.objects.create(
            case=case,
            court=case.court,
            kind=kind,
            year=year,
            sequence=sequence,
            number=number,
            format=fmt,
            filename=f"{case.case_number}-{DocumentKind(kind).label}-{sequence}.{fmt}",
            content=rendered.content,
            template_version=rendered.template_version,
            subject_id=subject.pk if subject is not None else None,
            generated_by=actor,
            generated_at=now,
        )
        node_event_record(
            kind=DocumentNode.GENERATED,
            court=case.court,
            case=case,
            occurred_at=now,
            actor=actor,
            subject=document,
            subject_label=f"{DocumentKind(kind).label} {number}",
            payload={"kind": kind, "number": number, "format": fmt},
        )
        if SPECS[kind].served_original and context["respondents"]:
            # a served original prints the respondent's whole ID number: a reveal (DESIGN)
            document_reveal_record(
                actor=actor, document=document, request=request, action="document-generate"
            )
    return document


def document_reveal_record(*, actor: User, document: GeneratedDocument, request=None, action: str) -> None:
    """An audit record for a document carrying a whole ID number (generated or downloaded)."""
    audit_record(
        event=AuditEvent.REVEAL,
        success=True,
        user=actor,
        request=request,
        action=action,
        object_type="documents.generateddocument",
        object_id=document.pk,
        status_code=200,
        detail={"case": document.case_id, "kind": document.kind, "fields": ["id_number"]},
    )


# --- templates ----------------------------------------------------------------------------------


def template_check(*, kind: str, filename: str, content: bytes) -> None:
    """An uploaded Word template must be a .docx of sensible size that renders with the
    kind's variables (``context.sample_context``); otherwise 400 on ``file``, saying why."""
    kind_check(kind)
    if not filename.lower().endswith(".docx"):
        raise ValidationFailed.for_field(
            "file", _("请上传 .docx 格式的 Word 模板。"), code="invalid_template"
        )
    if not content or len(content) > MAX_TEMPLATE_BYTES:
        raise ValidationFailed.for_field("file", _("模板文件为空或超过 5 MB。"), code="invalid_template")
    try:
        render_docx(content, doc_context.sample_context(kind))
    except TemplateBroken as exc:
        raise ValidationFailed.for_field("file", str(exc), code="invalid_template") from exc


def template_upload(
    *, actor: User, kind: str, filename: str, content: bytes, at: dt.datetime | None = None
) -> DocumentTemplate:
    """Replace the Word template of ``kind`` (validated first); the version goes up by one."""
    template_check(kind=kind, filename=filename, content=content)
    with transaction.atomic():
        current = DocumentTemplate.objects.select_for_update().filter(kind=kind).first()
        values = {
            "filename": filename[:200],
            "content": content,
            "uploaded_by": actor,
            "uploaded_at": at or timezone.now(),
        }
        if current is None:
            return DocumentTemplate.objects.create(kind=kind, version=1, **values)
        for field, value in values.items():
            setattr(current, field, value)
        current.version += 1
        current.save()
        return current
