"""督办: an upper court orders a lower court on an enforcement case (322号 §28).

The three measures of 民事诉讼法 §237 (2023; §226 as 322号 quotes it) the opinion names — 督促执行, 提级执行 and
指令其他法院执行 — are one order each, with a response period set by the issuer
(ORDER_RESPONSE clock). The lower court responds with the measures it took; the
issuer accepts the response (closed) or returns it as insufficient (a new round
with a new response clock). Only ``supervision.services.orders`` writes these rows.

提级 and 指令 are recorded as decisions on the order and on the case timeline; they
never move the case by themselves (the transfer is a separate, documented step).
"""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class OrderKind(models.TextChoices):
    URGE = "urge", _("督促执行")
    TAKE_UP = "take_up", _("提级执行")
    ASSIGN = "assign", _("指令执行")


class OrderStatus(models.TextChoices):
    ISSUED = "issued", _("待回复")
    RESPONDED = "responded", _("已回复")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_ORDER_STATUSES = (OrderStatus.ISSUED, OrderStatus.RESPONDED)


@pghistory.track()
class SupervisionOrder(ConcurrentTransitionMixin, models.Model):
    """One 督办 order. ``status`` is a protected state machine:
    ``issued → responded → closed``, ``responded → issued`` (returned, next round),
    ``issued → withdrawn``."""

    # e.g. 鲁01督〔2026〕3号: issuing court, year, sequence within that court and year.
    number = models.CharField(_("督办编号"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    issuing_court = models.ForeignKey(
        "core.Court", verbose_name=_("督办法院"), on_delete=models.PROTECT, related_name="orders_issued"
    )
    # The case's court when the order was issued (the court that must respond).
    target_court = models.ForeignKey(
        "core.Court", verbose_name=_("被督办法院"), on_delete=models.PROTECT, related_name="orders_received"
    )
    case = models.ForeignKey(
        "enforcement.Case",
        verbose_name=_("案件"),
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    kind = models.CharField(_("督办方式"), max_length=10, choices=OrderKind.choices)
    instructions = models.TextField(_("督办意见"))
    # The period the issuer set for each response round, in the ORDER_RESPONSE
    # rule's unit (copied to ``response_unit`` so a later rule edit does not change
    # what this order said).
    response_days = models.PositiveSmallIntegerField(_("回复期限"))
    response_unit = models.CharField(_("期限单位"), max_length=16)
    # 指令执行: the court under the issuer that is to execute the case instead.
    assignee_court = models.ForeignKey(
        "core.Court",
        verbose_name=_("指令执行法院"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders_assigned",
    )
    status = FSMField(_("状态"), default=OrderStatus.ISSUED, choices=OrderStatus.choices, protected=True)
    # Response rounds: 1 for the first, +1 each time the issuer returns a response.
    round = models.PositiveSmallIntegerField(_("回复轮次"), default=1)
    # The ORDER_RESPONSE clock of the current round (lists show it without a join
    # through the generic subject).
    response_deadline = models.ForeignKey(
        "core.Deadline",
        verbose_name=_("回复期限"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("督办人"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("督办时间"))
    last_responded_at = models.DateTimeField(_("最近回复时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    close_note = models.CharField(_("办结意见"), max_length=1000, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回理由"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["target_court", "status", "-issued_at"], name="order_target_status"),
            models.Index(fields=["issuing_court", "status", "-issued_at"], name="order_issuer_status"),
            models.Index(fields=["case", "-issued_at"], name="order_case"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_court", "year", "sequence"], name="order_number_per_court_year"
            ),
            # One open order per case and issuing court: a second one would split
            # the lower court's response between two clocks.
            models.UniqueConstraint(
                fields=["case", "issuing_court"],
                condition=Q(status__in=["issued", "responded"]),
                name="order_one_open_per_case_issuer",
            ),
            models.CheckConstraint(
                condition=Q(kind="assign", assignee_court__isnull=False)
                | (~Q(kind="assign") & Q(assignee_court__isnull=True)),
                name="order_assignee_only_for_assign",
            ),
            models.CheckConstraint(condition=Q(response_days__gt=0), name="order_response_days_positive"),
            models.CheckConstraint(condition=~Q(instructions=""), name="order_has_instructions"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ORDER_STATUSES

    @property
    def executing_court_id(self) -> int:
        """The court the order says should execute the case: the issuer for 提级,
        the assignee for 指令, the case's own court for 督促."""
        if self.kind == OrderKind.TAKE_UP:
            return self.issuing_court_id
        if self.kind == OrderKind.ASSIGN and self.assignee_court_id:
            return self.assignee_court_id
        return self.target_court_id

    @property
    def executing_court(self):
        if self.kind == OrderKind.TAKE_UP:
            return self.issuing_court
        if self.kind == OrderKind.ASSIGN and self.assignee_court_id:
            return self.assignee_court
        return self.target_court

    # --- transitions: fields only, no I/O (STYLE §4) -------------------------------
    @transition(field=status, source=OrderStatus.ISSUED, target=OrderStatus.RESPONDED)
    def respond(self, *, at) -> None:
        self.last_responded_at = at

    @transition(field=status, source=OrderStatus.RESPONDED, target=OrderStatus.CLOSED)
    def accept(self, *, by, at, note: str) -> None:
        self.closed_by, self.closed_at, self.close_note = by, at, note

    @transition(field=status, source=OrderStatus.RESPONDED, target=OrderStatus.ISSUED)
    def send_back(self) -> None:
        """退回: the response is insufficient; the next round starts."""
        self.round += 1

    @transition(field=status, source=OrderStatus.ISSUED, target=OrderStatus.WITHDRAWN)
    def withdraw(self, *, by, at, reason: str) -> None:
        self.withdrawn_by, self.withdrawn_at, self.withdraw_reason = by, at, reason


class ResponseReview(models.TextChoices):
    PENDING = "pending", _("待审查")
    ACCEPTED = "accepted", _("认可")
    RETURNED = "returned", _("退回")


@pghistory.track()
class SupervisionOrderResponse(models.Model):
    """The lower court's report for one round, and the issuer's review of it."""

    order = models.ForeignKey(SupervisionOrder, on_delete=models.PROTECT, related_name="responses")
    round = models.PositiveSmallIntegerField(_("轮次"))
    text = models.TextField(_("回复内容（已采取的措施）"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("回复人"), on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(_("回复时间"))
    review = models.CharField(
        _("审查结果"), max_length=10, choices=ResponseReview.choices, default=ResponseReview.PENDING
    )
    review_note = models.CharField(_("审查意见"), max_length=1000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办回复")
        verbose_name_plural = _("督办回复")
        ordering = ["order", "round"]
        constraints = [
            models.UniqueConstraint(fields=["order", "round"], name="order_response_once_per_round"),
            models.CheckConstraint(condition=~Q(text=""), name="order_response_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} · {self.round}"
