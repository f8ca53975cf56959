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
    WAITING_SEIZURE = "asset.waiting_seizure", _("记录轮候查封")
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
    ASSET_LINKED = "clue.asset_linked", _("登记线索查明的财产")


class CreditNode(NodeKind):
    ISSUED = "credit.issued", _("发布信用惩戒措施")
    RELEASED = "credit.released", _("解除/删除信用惩戒措施")
    SERVED = "credit.served", _("送达信用惩戒决定书")
    CORRECTION_REQUESTED = "credit.correction_requested", _("提出失信纠正申请")
    CORRECTION_DECIDED = "credit.correction_decided", _("作出纠正决定")
    GUARANTEE_ACCEPTED = "credit.guarantee_accepted", _("被执行人提供有效担保")
    APPLICANT_CONSENTED = "credit.applicant_consented", _("申请执行人同意解除")
    URGENT_RELEASE_REQUESTED = "credit.urgent_release_requested", _("申请立即解除限制消费令")
    PERSON_RELEASED = "credit.person_released", _("解除对原法定代表人等的限制消费")
    DISHONEST_NOT_APPLICABLE = "credit.dishonest_not_applicable", _("认定不符合纳入失信名单条件")


class DisposalNode(NodeKind):
    PRICE_STARTED = "disposal.price_started", _("启动确定参考价")
    PRICE_FIXED = "disposal.price_fixed", _("确定参考价")
    AUCTION_LAUNCHED = "disposal.auction_launched", _("启动网络司法拍卖")
    CONCLUDED = "disposal.concluded", _("处置完毕")
    SELF_ALLOWED = "disposal.self_allowed", _("准许自行处置")
    SELF_CONCLUDED = "disposal.self_concluded", _("自行处置结束")
    AUCTION_FAILED = "disposal.auction_failed", _("拍卖流拍")
    SELL_OFF_FAILED = "disposal.sell_off_failed", _("变卖未成交")
    OFFSET_REFUSED = "disposal.offset_refused", _("申请执行人拒绝以物抵债")
    TRANSFER_REQUESTED = "disposal.transfer_requested", _("商请首封法院移送处置权")
    TRANSFER_ANSWERED = "disposal.transfer_answered", _("首封法院答复移送处置权")


class ApprovalNode(NodeKind):
    REQUESTED = "approval.requested", _("提出审批申请")
    APPROVED = "approval.approved", _("审批通过")
    REJECTED = "approval.rejected", _("审批驳回")


NODE_KINDS: tuple[type[NodeKind], ...] = (CaseNode, SearchNode, AssetNode, ControlNode, PropertyClueNode, CreditNode, DisposalNode, ApprovalNode)


class CoercionNode(NodeKind):
    """强制措施与调查措施 register (h/coercion): every entry, finding and decision is a node."""

    FINE = "coercion.fine", _("罚款")
    DETENTION = "coercion.detention", _("拘留")
    SEARCH = "coercion.search", _("搜查")
    AUDIT = "coercion.audit", _("委托专项审计")
    REWARD = "coercion.reward", _("悬赏")
    INVESTIGATION_ORDER = "coercion.investigation_order", _("签发律师调查令")
    WHEREABOUTS_SEARCH = "coercion.whereabouts_search", _("查找下落不明的被执行人")
    REFERRAL = "coercion.refusal_crime_referral", _("拒执罪移送（移送公安/告知自诉）")
    REFERRAL_OUTCOME = "coercion.referral_outcome", _("拒执罪移送处理结果")
    FINDING = "coercion.finding", _("认定妨害执行情形")
    APPLICATION_RECEIVED = "measure_application.received", _("收到调查措施申请")
    APPLICATION_GRANTED = "measure_application.granted", _("准许调查措施申请")
    APPLICATION_REFUSED = "measure_application.refused", _("不予准许调查措施申请")
    NOT_SANCTIONED = "obstruction.not_sanctioned", _("决定不予采取强制措施")


NODE_KINDS = (*NODE_KINDS, CoercionNode)


class ProcedureNode(NodeKind):
    """Per-party procedure nodes of the 终本 gate (h/gateproc). Service of 执行通知书/报告财产令 on a
    respondent is ``case.notice_served`` with ``party`` and ``document`` in the payload."""

    PROPERTY_REPORT_CHECKED = "property_report.checked", _("财产报告已核查")
    PROPERTY_REPORT_MISSING = "property_report.missing", _("被执行人未报告财产（已记录）")
    TERMINATED_RULING = "case.terminated_ruling", _("作出终结本次执行程序裁定")
    RULING_SERVED = "ruling.served", _("终本裁定送达")
    RULING_SERVICE_FAILED = "ruling.service_failed", _("终本裁定送达未成功")
    DOCUMENT_SERVICE_FAILED = "case.notice_service_failed", _("执行通知书/报告财产令送达未成功")


NODE_KINDS = (*NODE_KINDS, ProcedureNode)
