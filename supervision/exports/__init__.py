"""The Excel exports of the supervisory pages (``core.exports``), one module per
page: ``dashboard`` (the dashboard's tables and clock lists, the 不明款 list, the
clock list behind each number), ``screening`` (the five lists) and ``indicators``.
Importing this package registers them all; ``SupervisionConfig.ready`` does, in the
web process and in the worker alike.

Each exporter's ``clean`` is the filter cleaning of ``supervision.filters``; its
rows come from ``supervision.selectors``."""

from supervision.exports import (
    dashboard,
    indicators,
    referrals,
    screening,
)

__all__ = ["dashboard", "indicators", "referrals", "screening"]
