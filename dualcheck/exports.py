"""Excel exports of 一案双查 (core.exports). Imported at startup by
``DualcheckConfig.ready`` so the registry knows the keys in every process (web and
worker); the job also records this module for the worker to import."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from core.exports import Column, Exporter, register
from core.models import User
from dualcheck.stats import clue_stats, describe, stats_params, stats_rows


def _stats_rows(user: User, params: dict) -> Iterable[list]:
    # The same function, scope and confidentiality rule as the page and the API.
    return stats_rows(clue_stats(user=user, params=params))


STATS = register(
    Exporter(
        key="dualcheck.stats",
        title=_("一案双查统计"),
        columns=[
            Column(_("类别"), 12),
            Column(_("项目"), 36),
            Column(_("数量"), 10, "int"),
            Column(_("未办结"), 10, "int"),
            Column(_("已办结"), 10, "int"),
        ],
        rows=_stats_rows,
        clean=stats_params,
        permission="core.use_browser",
        describe=describe,
    )
)
