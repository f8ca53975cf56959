from django.apps import AppConfig

from core import events
from documents.events import DocumentNode


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "文书"

    def ready(self) -> None:
        # The rules predicates (permissions.py) are found by core.
        events.register(DocumentNode)
