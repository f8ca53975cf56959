"""文书自动生成 (issue 16; 322号 §12): each kind generated from the case's data as Word and
PDF, numbered from the court's sequence, kept on the case, refused with what is missing,
scoped by court; administrators' templates replace the default and are validated."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from rest_framework.test import APIClient

from core.exceptions import PermissionDenied, ValidationFailed
from core.models import NodeEvent, Role
from documents import services
from documents.kinds import DocumentKind
from documents.models import DocumentTemplate, GeneratedDocument
from documents.rendering import default_template, render_html
from documents.selectors import case_for_documents
from tests.core.factories import make_member
from tests.documents.factories import case_with_records, terminated
from tests.enforcement.factories import make_case, org_code, person_id

pytestmark = pytest.mark.django_db

YEAR = 2026  # the suite's frozen today is in 2026 (tests/conftest.py)


@pytest.fixture
def case(courts, clerk, handler, bureau_head):
    return case_with_records(clerk, handler, bureau_head, courts.lu0102)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def generate(user, case, kind: str, fmt: str = "docx", **extra):
    return client_for(user).post(
        reverse("api-case-documents", kwargs={"case_id": case.pk}),
        {"kind": kind, "format": fmt, **extra},
        format="json",
    )


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    return "\n".join(p.text for p in doc.paragraphs)


def download(user, body: dict) -> bytes:
    response = client_for(user).get(body["download_url"])
    assert response.status_code == 200, response.content[:300]
    return response.content


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_each_kind_is_filled_from_the_case(case, handler, kind):
    # given
    if kind == DocumentKind.TERMINATION_RULING:
        case = terminated(case)
    # when
    response = generate(handler, case, kind)
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) >= {"id", "kind", "number", "format", "download_url"}
    assert body["kind"] == kind and body["format"] == "docx"
    assert body["number"].startswith(f"({YEAR})鲁0102") and body["number"].endswith("字第1号")
    text = docx_text(download(handler, body))
    assert "历下区人民法院" in text  # the court's name (tests/conftest.py courts)
    assert "(2026)鲁0102执1001号" in text
    assert body["number"] in text
    assert str(DocumentKind(kind).label) in text
    assert "{{" not in text and "{%" not in text  # every variable filled
    if kind == DocumentKind.PAYMENT_NOTICE:
        assert "张三" in text and "3,000.00" in text  # the payee and the approved amount
    else:
        assert "某某公司" in text  # the respondent
    assert "张三" in text  # the applicant (named on every document)


def test_served_originals_print_the_respondents_whole_id_others_mask_it(case, handler, clerk):
    served = docx_text(download(handler, generate(handler, case, "execution_notice").json()))
    notice = docx_text(download(clerk, generate(clerk, case, "acceptance_notice").json()))
    assert org_code() in served
    assert org_code() not in notice and org_code()[:6] + "********" in notice
    assert person_id() not in served and person_id() not in notice  # the applicant: always masked
    from audit.models import AuditRecord

    assert AuditRecord.objects.filter(action="document-generate", event="reveal").count() == 1


def test_legal_basis_is_the_catalogue_article_in_force(case, handler):
    text = docx_text(download(handler, generate(handler, case, "execution_notice").json()))
    assert "民诉法解释（2022年修正）第480条" in text  # core.rule_catalogue EXECUTION_NOTICE


def test_numbers_run_per_court_kind_and_year(courts, clerk, handler, bureau_head, case):
    other_clerk = make_member(Role.CLERK, courts.lu0103, "clerk-0103")
    other = make_case(other_clerk, courts.lu0103, number="(2026)鲁0103执5号")
    first = generate(handler, case, "execution_notice").json()["number"]
    second = generate(handler, case, "execution_notice", "pdf").json()["number"]
    other_kind = generate(handler, case, "property_report_order").json()["number"]
    other_court = generate(
        make_member(Role.HANDLER, courts.lu0103, "handler-0103"), other, "execution_notice"
    ).json()
    assert (first, second) == ("(2026)鲁0102执通字第1号", "(2026)鲁0102执通字第2号")
    assert other_kind == "(2026)鲁0102执报字第1号"
    assert other_court["number"] == "(2026)鲁0103执通字第1号"


def test_pdf_prints_the_same_context(case, handler):
    body = generate(handler, case, "seizure_ruling", "pdf").json()
    assert download(handler, body).startswith(b"%PDF")
    document = GeneratedDocument.objects.get(pk=body["id"])
    assert document.format == "pdf" and document.template_version == "print-v1"
    # the HTML that feeds WeasyPrint (no PDF text extractor in the environment)
    from documents.context import build
    from documents.policy import CaseRecords

    records = CaseRecords(case_for_documents(handler, case.pk))
    html = render_html(
        build(
            records=records,
            kind="seizure_ruling",
            number=body["number"],
            when=document.generated_at,
            subject=records.controls[0],
        )
    )
    assert "(2026)鲁0102执1001号" in html and body["number"] in html and "冻结存款" in html


def test_the_document_is_kept_on_the_case_with_who_generated_it(case, handler):
    body = generate(handler, case, "restriction_order").json()
    listed = client_for(handler).get(reverse("api-case-documents", kwargs={"case_id": case.pk})).json()
    assert listed["count"] == 1
    (row,) = listed["results"]
    assert (row["id"], row["number"], row["generated_by"]) == (body["id"], body["number"], str(handler))
    assert {k["kind"] for k in listed["available"]} == set(DocumentKind.values) - {"termination_ruling"}
    assert NodeEvent.objects.filter(case=case, kind="document.generated").count() == 1


UNMET = {
    "restriction_order": "限制消费",
    "dishonest_decision": "失信",
    "seizure_ruling": "查封、扣押或冻结",
    "assistance_notice": "查封、扣押或冻结",
    "termination_ruling": "终本",
    "payment_notice": "案款发放",
}


@pytest.mark.parametrize("kind", sorted(UNMET))
def test_a_kind_the_case_does_not_allow_yet_is_422_naming_what_is_missing(courts, clerk, handler, kind):
    bare = make_case(clerk, courts.lu0102, handler=handler)
    response = generate(handler, bare, kind)
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    assert body["code"] == "document_prerequisites_unmet"
    assert body["extra"]["kind"] == kind
    assert any(UNMET[kind] in m for m in body["extra"]["missing"])
    assert UNMET[kind] in body["message"]
    assert not GeneratedDocument.objects.exists()
    listed = client_for(handler).get(reverse("api-case-documents", kwargs={"case_id": bare.pk})).json()
    assert kind in {u["kind"] for u in listed["unavailable"]}


def test_execution_notice_is_not_issued_on_a_closing_case(case, handler):
    response = generate(handler, terminated(case), "execution_notice")
    assert response.status_code == 422 and response.json()["extra"]["missing"]


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "judgment", "format": "docx"},
        {"kind": "acceptance_notice", "format": "odt"},
        {"kind": "acceptance_notice"},
    ],
)
def test_unknown_kind_or_format_is_400(case, handler, body):
    response = client_for(handler).post(
        reverse("api-case-documents", kwargs={"case_id": case.pk}), body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]
    assert not GeneratedDocument.objects.exists()


def test_another_courts_case_and_document_are_404(courts, case, handler):
    document = generate(handler, case, "acceptance_notice").json()
    stranger = make_member(Role.HANDLER, courts.lu0103, "handler-0103")
    assert generate(stranger, case, "acceptance_notice").status_code == 404
    assert (
        client_for(stranger).get(reverse("api-case-documents", kwargs={"case_id": case.pk})).status_code
        == 404
    )
    assert client_for(stranger).get(document["download_url"]).status_code == 404
    browser = make_member(Role.HANDLER, courts.lu0103, "handler-0103b")
    from django.test import Client

    web = Client()
    web.force_login(browser)
    assert web.get(reverse("documents:download", kwargs={"document_id": document["id"]})).status_code == 404


def test_clerk_generates_the_acceptance_notice_only(case, clerk):
    assert generate(clerk, case, "acceptance_notice").status_code == 201
    response = generate(clerk, case, "seizure_ruling")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_a_machine_client_of_the_court_generates(case, courts):
    from core.services.people import api_client_create

    _user, key = api_client_create(court=courts.lu0102, name="鲁0102审判系统")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post(
        reverse("api-case-documents", kwargs={"case_id": case.pk}),
        {"kind": "payment_notice", "format": "docx"},
        format="json",
    )
    assert response.status_code == 201, response.content


def test_supervisors_may_read_but_not_generate(case, case_supervisor):
    assert (
        client_for(case_supervisor)
        .get(reverse("api-case-documents", kwargs={"case_id": case.pk}))
        .status_code
        == 200
    )
    assert generate(case_supervisor, case, "acceptance_notice").status_code == 403


# --- templates ------------------------------------------------------------------------------


def _template(text: str) -> bytes:
    doc = Document()
    for line in text.split("\n"):
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_an_uploaded_template_replaces_the_default(case, handler, admin_user):
    services.template_upload(
        actor=admin_user,
        kind="execution_notice",
        filename="本院执行通知书.docx",
        content=_template(
            "本院自定义格式\n{{ court_name }} {{ number }}\n{{ case_number }}\n{{ respondent_names }}"
        ),
    )
    body = generate(handler, case, "acceptance_notice").json()  # other kinds keep the default
    assert "本院自定义格式" not in docx_text(download(handler, body))
    body = generate(handler, case, "execution_notice").json()
    text = docx_text(download(handler, body))
    assert "本院自定义格式" in text and body["number"] in text and "某某公司" in text
    assert GeneratedDocument.objects.get(pk=body["id"]).template_version == "upload-v1"


@pytest.mark.parametrize(
    ("filename", "content", "says"),
    [
        ("模板.docx", _template("{{ no_such_variable }}"), "模板语法或变量有误"),
        ("模板.docx", _template("{% for x in %}"), "模板语法或变量有误"),
        ("模板.docx", b"not a word file", "无法读取"),
        ("模板.doc", _template("{{ number }}"), ".docx"),
    ],
    # stable ids: the generated files carry their creation time, and pytest-xdist
    # needs every worker to collect the same test names
    ids=["unknown-variable", "bad-syntax", "not-a-word-file", "wrong-extension"],
)
def test_a_broken_template_is_refused(admin_user, filename, content, says):
    with pytest.raises(ValidationFailed) as refused:
        services.template_upload(
            actor=admin_user, kind="execution_notice", filename=filename, content=content
        )
    assert says in str(refused.value.extra["fields"]["file"][0])
    assert not DocumentTemplate.objects.exists()


def test_admin_upload_form_refuses_a_broken_template_next_to_the_file(admin_client):
    url = reverse("admin:documents_documenttemplate_add")
    response = admin_client.post(
        url, {"kind": "execution_notice", "file": SimpleUploadedFile("t.docx", _template("{{ nope }}"))}
    )
    assert response.status_code == 200
    assert "模板语法或变量有误" in response.content.decode()
    assert not DocumentTemplate.objects.exists()
    response = admin_client.post(
        url, {"kind": "execution_notice", "file": SimpleUploadedFile("t.docx", default_template())}
    )
    assert response.status_code == 302
    assert DocumentTemplate.objects.get().version == 1


def test_service_refuses_who_may_not(case, courts):
    finance = make_member(Role.FINANCE, courts.lu0102, "finance")
    with pytest.raises(PermissionDenied):
        services.document_generate(
            actor=finance, case=case_for_documents(finance, case.pk), kind="payment_notice", fmt="pdf"
        )


def test_a_generated_document_cannot_be_changed_or_deleted(case, handler):
    from django.db import InternalError, transaction

    body = generate(handler, case, "acceptance_notice").json()
    with pytest.raises(InternalError), transaction.atomic():
        GeneratedDocument.objects.filter(pk=body["id"]).update(number="(2026)鲁0102执受字第99号")
    with pytest.raises(InternalError), transaction.atomic():
        GeneratedDocument.objects.filter(pk=body["id"]).delete()
    assert GeneratedDocument.objects.get(pk=body["id"]).number == body["number"]


def test_the_subject_chooses_the_record_and_a_foreign_one_is_400(courts, clerk, handler, bureau_head, case):
    other = case_with_records(clerk, handler, bureau_head, courts.lu0102, number="(2026)鲁0102执1002号")
    foreign = other.control_measures.get()
    own = case.control_measures.get()
    response = generate(handler, case, "seizure_ruling", subject=foreign.pk)
    assert response.status_code == 400 and response.json()["code"] == "invalid_subject"
    assert response.json()["extra"]["fields"]["subject"]
    body = generate(handler, case, "seizure_ruling", subject=own.pk).json()
    assert GeneratedDocument.objects.get(pk=body["id"]).subject_id == own.pk


def test_the_list_query_count_does_not_grow_with_the_documents(case, handler, django_assert_max_num_queries):
    client = client_for(handler)
    url = reverse("api-case-documents", kwargs={"case_id": case.pk})
    generate(handler, case, "acceptance_notice")
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    for kind in ("execution_notice", "seizure_ruling", "payment_notice", "restriction_order"):
        generate(handler, case, kind)
    with django_assert_max_num_queries(12) as many:
        assert client.get(url).json()["count"] == 5
    assert len(many.captured_queries) == len(one.captured_queries)
