from django.core.paginator import InvalidPage
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination

from core.exceptions import NotFound, ValidationFailed


class DefaultPagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}`` (API.md). A ``page`` that is not a
    positive whole number, or a ``page_size`` outside 1–500, is a 400 naming it; a page
    past the end a 404 ``page_not_found`` that says how many pages there are — never
    "对象不存在" (issue 17)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        self._check(request)
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        number = request.query_params.get(self.page_query_param) or 1
        if number in self.last_page_strings:
            number = paginator.num_pages
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise NotFound(
                _("第 %(n)s 页不存在：共 %(pages)s 页（%(count)s 条）。")
                % {"n": number, "pages": paginator.num_pages, "count": paginator.count},
                code="page_not_found",
                extra={"page": int(number), "pages": paginator.num_pages, "count": paginator.count},
            ) from None
        self.request = request
        return list(self.page)

    def _check(self, request) -> None:
        fields: dict[str, list[str]] = {}
        page = request.query_params.get(self.page_query_param)
        if page is not None and page not in self.last_page_strings and not (page.isdigit() and int(page) >= 1):
            fields[self.page_query_param] = [str(_("页码应为正整数（或 last）。"))]
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not (size.isdigit() and 1 <= int(size) <= self.max_page_size):
            fields[self.page_size_query_param] = [
                str(_("每页条数应为 1 至 %(max)s 的整数。") % {"max": self.max_page_size})
            ]
        if fields:
            raise ValidationFailed(_("分页参数有误。"), code="invalid", extra={"fields": fields})
