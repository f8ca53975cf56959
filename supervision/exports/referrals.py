"""Exports of the 拒执 referrals report: per court (route × outcome) and the referred cases."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import Column, Exporter, register
from core.models import User
from enforcement.models import ReferralOutcome, ReferralRoute
from supervision.filters import indicator_params
from supervision.permissions import VIEW_DASHBOARD
from supervision.selectors.referrals import referral_report

Params = Mapping[str, Any]


def _describe(params: Params) -> str:
    period = f"{params.get('from', '')}—{params.get('to', '')}" if params.get("from") or params.get("to") else ""
    return " ".join(p for p in (params.get("court", ""), period) if p)


def _court_rows(user: User, params: Params) -> Iterable[list]:
    data = referral_report(user=user, params=params)
    for row in [*data["courts"], {**data["total"], "code": "", "name": _("合计"), "is_self": False}]:
        name = f"{row['name']}（{_('本院')}）" if row["is_self"] else row["name"]
        yield [
            row["code"], name, row["total"],
            *(row["by_route"][r.value] for r in ReferralRoute),
            *(row["by_outcome"][o.value] for o in ReferralOutcome),
        ]


def _case_rows(user: User, params: Params) -> Iterable[list]:
    for r in referral_report(user=user, params=params)["cases"]:
        yield [
            r["case_number"], r["court_name"], r["person"], r["route_label"], r["decided_at"][:10],
            r["document_number"], r["outcome_label"], r["outcome_on"] or "", r["outcome_document"],
        ]


register(
    Exporter(
        key="supervision.referrals",
        title=gettext_lazy("拒执罪移送统计"),
        columns=[
            Column(gettext_lazy("法院代码"), 10),
            Column(gettext_lazy("法院"), 24),
            Column(gettext_lazy("移送合计"), 10, "int"),
            *(Column(r.label, 12, "int") for r in ReferralRoute),
            *(Column(o.label, 10, "int") for o in ReferralOutcome),
        ],
        rows=_court_rows,
        clean=indicator_params,
        permission=VIEW_DASHBOARD,
        describe=_describe,
    )
)

register(
    Exporter(
        key="supervision.referrals.cases",
        title=gettext_lazy("拒执罪移送案件"),
        columns=[
            Column(gettext_lazy("案号"), 26),
            Column(gettext_lazy("法院"), 20),
            Column(gettext_lazy("被移送人"), 16),
            Column(gettext_lazy("移送途径"), 14),
            Column(gettext_lazy("移送日期"), 12),
            Column(gettext_lazy("文书文号"), 26),
            Column(gettext_lazy("处理结果"), 10),
            Column(gettext_lazy("结果日期"), 12),
            Column(gettext_lazy("结果文书"), 26),
        ],
        rows=_case_rows,
        clean=indicator_params,
        permission=VIEW_DASHBOARD,
        describe=_describe,
    )
)
