"""Turning a document's context into a file: Word through docxtpl (the court's template,
or the built-in default), PDF through the print HTML and WeasyPrint (no office suite is
installed on the servers, so the PDF is not converted from the Word file: both are
filled from the same context, ``documents.context``).

The built-in Word templates are built here with python-docx when a document is
generated rather than committed as .docx files: their text is reviewable Python beside
the context it reads, they cannot drift from ``VARIABLES``, and there is no binary to
regenerate. Building one takes a few milliseconds."""

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from core.web.pdf import pdf_from_html

DEFAULT_TEMPLATE_VERSION = "builtin-v1"
_FONT = "宋体"


class TemplateBroken(Exception):
    """The Word template cannot be read or rendered; ``str()`` says why, in Chinese."""


def _run(paragraph, text: str, *, size: float = 14, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = _FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), _FONT)


def _line(doc, text: str, *, align=None, size: float = 14, bold: bool = False, indent: bool = False):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    _run(p, text, size=size, bold=bold)
    return p


def default_template() -> bytes:
    """The built-in Word template every kind shares: the court, the title, the number,
    the addressee, the parties, the body paragraphs, the legal basis and the seal line.
    Administrators may replace it per kind with their own (``VARIABLES`` lists what a
    template can use)."""
    doc = Document()
    _line(doc, "{{ court_name }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=18, bold=True)
    _line(doc, "{{ title }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=22, bold=True)
    _line(doc, "{{ number }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _line(doc, "案号：{{ case_number }}", align=WD_ALIGN_PARAGRAPH.RIGHT, size=12)
    _line(
        doc,
        "申请执行人：{% for p in applicants %}{{ p.name }}（{{ p.kind }}，证件号码{{ p.id_number }}）"
        "{% if not loop.last %}；{% endif %}{% endfor %}",
        size=12,
    )
    _line(
        doc,
        "被执行人：{% for p in respondents %}{{ p.name }}（{{ p.kind }}，证件号码{{ p.id_number }}）"
        "{% if not loop.last %}；{% endif %}{% endfor %}",
        size=12,
    )
    _line(doc, "{{ addressee }}：")
    _line(doc, "{%p for para in paragraphs %}")
    _line(doc, "{{ para }}", indent=True)
    _line(doc, "{%p endfor %}")
    _line(doc, "法律依据：{{ legal_basis }}", size=12, indent=True)
    _line(doc, "{{ court_name }}（院印）", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _line(doc, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_docx(template: bytes, context: dict) -> bytes:
    """Fill ``template`` with ``context``. A variable the context lacks is an error
    (StrictUndefined), never an empty gap in a served document; the template runs in
    Jinja's sandbox, since administrators upload it. Raises ``TemplateBroken``."""
    try:
        tpl = DocxTemplate(io.BytesIO(template))
        tpl.render(context, jinja_env=SandboxedEnvironment(undefined=StrictUndefined), autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
    except TemplateError as exc:
        raise TemplateBroken(_("模板语法或变量有误：%(error)s") % {"error": exc}) from exc
    except Exception as exc:  # a damaged or non-Word file fails anywhere inside python-docx/lxml
        raise TemplateBroken(_("无法读取该 Word 文件，请上传 .docx 格式的模板。")) from exc
    return out.getvalue()


def render_html(context: dict) -> str:
    return render_to_string("documents/print.html", {"d": context})


def render_pdf(context: dict) -> bytes:
    return pdf_from_html(render_html(context))
