"""Gate rows about searching, clues and assets (#6 – #13)."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from enforcement.models import ClueStatus
from enforcement.models.assets import ASSET_SETTLED
from enforcement.selectors import enabled_categories
from enforcement.services.gate.base import GateContext, Unmet, condition


@condition(6)
def online_search_incomplete(ctx: GateContext) -> Iterator[Unmet]:
    case = ctx.case
    enabled = {c.pk for c in enabled_categories(case.court)}
    covered = set(
        case.searches.filter(channel__in=["online", "online_local"], feedback_at__isnull=False).values_list(
            "categories", flat=True
        )
    )
    if not enabled <= covered:
        yield Unmet("online_search_incomplete", _("未完成覆盖全部已开通财产类型的网络查控（含反馈）"))


@condition(8)
def clues_unverified(ctx: GateContext) -> Iterator[Unmet]:
    if ctx.case.clues.filter(status__in=[ClueStatus.RECEIVED, ClueStatus.VERIFYING]).exists():
        yield Unmet("clues_unverified", _("尚有财产线索未核查完毕"))


@condition(10)
def assets_unhandled(ctx: GateContext) -> Iterator[Unmet]:
    if ctx.case.assets.exclude(status__in=ASSET_SETTLED).exists():
        yield Unmet("assets_unhandled", _("尚有已发现的财产未控制或未处置"))
