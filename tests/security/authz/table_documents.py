"""The authorization table of documents (文书自动生成): the case's documents over REST,
generating one (REST and the case page), and downloading a file.

Who may generate: the handler, the bureau head and the machine client of the case's own
court; the clerk too, for the 受理通知书 the table sends (documents.policy)."""

from django.urls import reverse

from tests.security.authz.engine import BACK, Entry, Op, at_own, sees
from tests.security.authz.vocab import _d, case_kwargs, obj_kwargs, own_court

GENERATORS = ("clerk", "handler", "bureau_head")  # for the 受理通知书; the clerk for no other kind


def _back(w) -> str:
    return reverse("enforcement:case-detail", kwargs={"case_id": w.o.main.pk}) + "#documents"


TABLE = [
    Entry(
        "api-case-documents",
        case_kwargs(),
        (
            Op("GET", sees, shows=own_court),
            Op("POST", at_own(*GENERATORS, "api_client"), 201, _d(kind="acceptance_notice", format="docx")),
        ),
        scope=sees,
    ),
    Entry("api-document-download", obj_kwargs("document_id", "document"), (Op("GET", sees),), scope=sees),
    Entry(
        "documents:generate",
        case_kwargs(),
        (Op("POST", at_own(*GENERATORS), 302, _d(kind="acceptance_notice", format="docx")),),
        scope=sees,
        denied=BACK,
        back=_back,
    ),
    Entry("documents:download", obj_kwargs("document_id", "document"), (Op("GET", sees),), scope=sees),
]
