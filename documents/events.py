"""The node kinds the documents app records (``NodeEvent.kind``)."""

from django.utils.translation import gettext_lazy as _

from core.events import NodeKind


class DocumentNode(NodeKind):
    GENERATED = "document.generated", _("生成文书")
