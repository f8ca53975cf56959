"""The node kinds of case funds (``NodeEvent.kind``), with their names in words.
Registered in ``CustodyFundsConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from core.events import NodeKind


class FundsNode(NodeKind):
    RECEIPT = "funds.receipt", _("案款到账")
    # a receipt no account number matched: recorded at the court, not on a case
    RECEIPT_UNIDENTIFIED = "funds.receipt_unidentified", _("不明款到账")
    RECEIPT_MATCHED = "funds.receipt_matched", _("不明款匹配到本案")
    DISBURSEMENT_DRAFTED = "funds.disbursement_drafted", _("起草案款发放")
    DISBURSEMENT_SUBMITTED = "funds.disbursement_submitted", _("提交发放审批")
    DISBURSEMENT_APPROVED = "funds.disbursement_approved", _("批准案款发放")
    DISBURSEMENT_NOTIFIED = "funds.disbursement_notified", _("发出支付案款通知")
    DISBURSEMENT_PAID = "funds.disbursement_paid", _("财务发放案款")
    DISBURSEMENT_REJECTED = "funds.disbursement_rejected", _("驳回案款发放")
    DISBURSEMENT_CANCELLED = "funds.disbursement_cancelled", _("撤销案款发放")
    DELAY_REQUESTED = "funds.delay_requested", _("申请延缓发放")
    DELAY_APPROVED = "funds.delay_approved", _("批准延缓发放")
    DELAY_REJECTED = "funds.delay_rejected", _("驳回延缓发放")
    DELAY_RELEASED = "funds.delay_released", _("解除延缓发放")
    DEPOSIT_REQUESTED = "funds.deposit_requested", _("申请提存")
    DEPOSIT_APPROVED = "funds.deposit_approved", _("批准提存")
    DEPOSIT_REJECTED = "funds.deposit_rejected", _("驳回提存")


# HoldKind value → its node on request, approval and rejection.
HOLD_REQUESTED = {"delay": FundsNode.DELAY_REQUESTED, "deposit": FundsNode.DEPOSIT_REQUESTED}
HOLD_APPROVED = {"delay": FundsNode.DELAY_APPROVED, "deposit": FundsNode.DEPOSIT_APPROVED}
HOLD_REJECTED = {"delay": FundsNode.DELAY_REJECTED, "deposit": FundsNode.DEPOSIT_REJECTED}


NODE_KINDS: tuple[type[NodeKind], ...] = (FundsNode,)
