"""The node kinds (``NodeEvent.kind``) enforcement records, with their names in
words. Registered with ``core.events`` when the app is ready (``apps.py``), so any
page can name them with ``core.events.node_label``."""

from django.utils.translation import gettext_lazy as _

from core.events import NodeKind


class CaseNode(NodeKind):
    RECEIVED = "case.received", _("收案（移送执行）")
    ASSIGNED = "case.assigned", _("指定承办人")
    NOTICE_SERVED = "case.notice_served", _("送达执行通知书、报告财产令")
    APPLICANT_INTERVIEWED = "case.applicant_interviewed", _("约谈申请执行人")
    SUSPENDED = "case.suspended", _("中止执行")
    RESUMED = "case.resumed", _("中止后恢复执行")
    TRACK_CHANGED = "case.track_changed", _("繁简分流")
    FULFILLED = "case.fulfilled", _("履行完毕")
    CLOSED = "case.closed", _("结案")
    RESTORED = "case.restored", _("恢复执行（立执恢案件）")


class SearchNode(NodeKind):
    LAUNCHED = "search.launched", _("发起财产查询")
    FEEDBACK = "search.feedback", _("查询反馈")


class AssetNode(NodeKind):
    UNCONTROLLABLE = "asset.uncontrollable", _("记录无法控制")
    ESTIMATED = "asset.estimated", _("估算财产价值")


class ControlNode(NodeKind):
    CREATED = "control.created", _("采取控制措施")
    RENEWED = "control.renewed", _("续行控制措施")
    RELEASED = "control.released", _("解除控制措施")
    PARTIALLY_RELEASED = "control.partially_released", _("解除超标的部分的查封")
    OBJECTION_FILED = "control.objection_filed", _("提出超标的查封异议")
    OBJECTION_DECIDED = "control.objection_decided", _("超标的查封异议裁定")
    SPLIT_OPENED = "control.split_opened", _("整体查封待分割")
    SPLIT_STEP = "control.split_step", _("分割查封进展")


class PropertyClueNode(NodeKind):
    """财产线索 (stored as ``clue.*``; 一案双查 clues are dualcheck's)."""

    RECEIVED = "clue.received", _("收到财产线索")
    VERIFYING = "clue.verifying", _("开始核查线索")
    VERIFIED = "clue.verified", _("线索核查完毕")


class CreditNode(NodeKind):
    ISSUED = "credit.issued", _("发布信用惩戒措施")
    RELEASED = "credit.released", _("解除/删除信用惩戒措施")


class DisposalNode(NodeKind):
    PRICE_STARTED = "disposal.price_started", _("启动确定参考价")
    PRICE_FIXED = "disposal.price_fixed", _("确定参考价")
    AUCTION_LAUNCHED = "disposal.auction_launched", _("启动网络司法拍卖")
    CONCLUDED = "disposal.concluded", _("处置完毕")
    SELF_ALLOWED = "disposal.self_allowed", _("准许自行处置")
    SELF_CONCLUDED = "disposal.self_concluded", _("自行处置结束")


class ApprovalNode(NodeKind):
    REQUESTED = "approval.requested", _("提出审批申请")
    APPROVED = "approval.approved", _("审批通过")
    REJECTED = "approval.rejected", _("审批驳回")


NODE_KINDS: tuple[type[NodeKind], ...] = (CaseNode, SearchNode, AssetNode, ControlNode, PropertyClueNode, CreditNode, DisposalNode, ApprovalNode)
