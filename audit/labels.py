"""The audit trail in words (issue 16): a record keeps the request's method and route
name (``POST dualcheck:clue-action``) for auditors and machines; people read what was
done — 一案双查线索操作. The raw value stays in the page's tooltip."""

from django.utils.translation import gettext_lazy as _

# Route names without their namespace and without the REST prefix ``api-``: the page
# and the REST operation of the same thing read alike (the REST one says 接口).
ACTIONS = {
    "login": _("登录"),
    "logout": _("退出"),
    "set_language": _("切换语言"),
    # core
    "calendar-load": _("载入年度节假日安排"),
    "calendar-years": _("载入年度节假日安排"),
    "export-start": _("发起导出"),
    "clock-correction-decide": _("补录节点核实"),
    "clock-correction-approve": _("补录节点核实通过"),
    "clock-correction-reject": _("补录节点核实不通过"),
    # enforcement
    "case-new": _("登记执行案件"),
    "cases": _("登记执行案件"),
    "cases-bulk": _("批量登记执行案件"),
    "case-action": _("执行案件操作"),
    "case-object-action": _("执行案件事项操作"),
    "approval-decide": _("审批"),
    "approval-approve": _("审批通过"),
    "approval-reject": _("审批不通过"),
    "case-notice": _("发出执行通知书"),
    "case-interview": _("约谈"),
    "case-suspend": _("中止执行"),
    "case-resume": _("恢复执行"),
    "case-track": _("变更办理程序"),
    "case-fulfilment": _("登记履行"),
    "case-close": _("结案"),
    "case-restore": _("恢复执行（执恢）"),
    "case-searches": _("发起网络查控"),
    "search-feedback": _("登记查控反馈"),
    "search-feedback-bulk": _("批量登记查控反馈"),
    "case-controls": _("采取控制措施"),
    "control-renew": _("续行控制措施"),
    "control-release": _("解除控制措施"),
    "control-release-excess": _("解除超标的查封"),
    "case-clues": _("登记财产线索"),
    "clue-verify": _("核查财产线索"),
    "clue-conclude": _("财产线索核查结论"),
    "clue-asset": _("财产线索转为财产"),
    "case-credit": _("信用惩戒"),
    "credit-release": _("解除信用惩戒"),
    "credit-serve": _("送达信用惩戒文书"),
    "credit-correction": _("失信纠正申请"),
    "credit-correction-decide": _("失信纠正申请审查"),
    "credit-urgent-release": _("申请立即解除限制消费令"),
    "credit-persons": _("登记限制消费人员"),
    "restricted-person-release": _("解除对人员的限制消费"),
    "case-credit-guarantee": _("登记提供担保"),
    "case-credit-consent": _("登记申请执行人同意"),
    "case-dishonest-na": _("登记不纳入失信的理由"),
    "case-approvals": _("提请审批"),
    "asset-uncontrollable": _("登记财产无法控制"),
    "asset-disposals": _("启动财产处置"),
    "asset-self-disposal": _("准许被执行人自行处置"),
    "self-disposal-conclude": _("自行处置结果"),
    "disposal-price": _("确定参考价"),
    "disposal-auction": _("拍卖、变卖"),
    "disposal-conclude": _("处置结果"),
    "asset-waiting-seizure": _("轮候查封"),
    "asset-priority-transfer": _("商请移送处置权"),
    "priority-transfer-answer": _("答复商请移送"),
    "asset-offset-refusals": _("以物抵债"),
    "case-coercion": _("强制措施"),
    "case-coercion-findings": _("强制措施查明情况"),
    "coercion-outcome": _("强制措施结果"),
    "case-measure-applications": _("申请采取措施"),
    "measure-application-decide": _("审查措施申请"),
    "case-obstruction-decisions": _("妨害执行处理决定"),
    "case-services": _("送达"),
    "case-property-reports": _("报告财产"),
    "case-applicant-interviews": _("约谈申请执行人"),
    "case-seizure-objections": _("执行异议"),
    "control-objections": _("对控制措施的异议"),
    "objection-decide": _("审查执行异议"),
    "split-progress": _("分段办理进度"),
    # custody_funds
    "case": _("案款操作"),
    "receipts": _("登记到账"),
    "receipt-match": _("认领不明款"),
    "finance-pay": _("发放案款"),
    "case-funds-holds": _("申请暂缓发放"),
    "funds-hold-approve": _("暂缓发放审批通过"),
    "funds-hold-reject": _("暂缓发放审批不通过"),
    "funds-hold-release": _("解除暂缓发放"),
    "case-disbursements": _("起草支付案款通知"),
    "disbursement-submit": _("提交支付案款通知"),
    "disbursement-approve": _("支付案款通知审批通过"),
    "disbursement-notify": _("通知财务发放"),
    "disbursement-pay": _("发放案款"),
    "disbursement-reject": _("支付案款通知审批不通过"),
    "disbursement-cancel": _("撤销支付案款通知"),
    # supervision
    "alert-acknowledge": _("签收预警"),
    "order-new": _("发出督办"),
    "orders": _("发出督办"),
    "order-action": _("督办操作"),
    "order-respond": _("回复督办"),
    "order-accept": _("督办回复通过"),
    "order-return": _("退回督办回复"),
    "order-withdraw": _("撤回督办"),
    "petition-new": _("登记信访"),
    "petitions": _("登记信访"),
    "petition-action": _("信访操作"),
    "petition-register": _("信访录入"),
    "petition-conclude": _("信访办结"),
    "petition-feedback": _("信访结果反馈"),
    "petition-flag-dualcheck": _("信访移送一案双查"),
    # dualcheck (``dualcheck:clue-new`` and ``api-dualcheck-clues`` alike)
    "dualcheck-clue-new": _("登记一案双查线索"),
    "dualcheck-clue-action": _("一案双查线索操作"),
    "dualcheck-from-petition": _("由信访登记一案双查线索"),
    "dualcheck-clue-from-petition": _("由信访登记一案双查线索"),
    "dualcheck-from-alert": _("由预警登记一案双查线索"),
    "dualcheck-clue-from-alert": _("由预警登记一案双查线索"),
    "dualcheck-report-edit": _("编辑调查报告"),
    "dualcheck-attachment": _("上传附件"),
    "dualcheck-clue-screen": _("一案双查线索初核"),
    "dualcheck-clue-approve": _("一案双查线索审批"),
    "dualcheck-clue-decide": _("一案双查线索处理决定"),
    "dualcheck-clue-refer": _("移送一案双查线索"),
    "dualcheck-clue-record-officers": _("登记涉及人员"),
    "dualcheck-clue-form-team": _("组成调查组"),
    "dualcheck-clue-record-work": _("登记调查工作"),
    "dualcheck-clue-report": _("起草调查报告"),
    "dualcheck-clue-submit-report": _("上报调查报告"),
    "dualcheck-clue-review": _("审查调查报告"),
    "dualcheck-clue-conclude": _("一案双查结论"),
    "dualcheck-clue-feedback": _("一案双查反馈"),
    "dualcheck-clue-clarify": _("一案双查补充说明"),
    "dualcheck-clue-close": _("一案双查办结"),
    "dualcheck-clues": _("登记一案双查线索"),
    # audit
    "party-reveal": _("查看完整证件号码/电话"),
}

# The other write requests, by the app they belong to.
APPS = {
    "core": _("系统操作"),
    "enforcement": _("执行案件操作"),
    "custody_funds": _("案款操作"),
    "supervision": _("监管操作"),
    "dualcheck": _("一案双查操作"),
    "audit": _("审计操作"),
    "admin": _("系统管理操作"),
}


def action_label(action: str) -> str:
    """What a request of route ``action`` (``dualcheck:clue-action``, ``api-case-close``)
    did, in words; empty for a request that matched no route."""
    if not action:
        return ""
    namespace, _sep, name = action.rpartition(":")
    api = name.startswith("api-")
    name = name.removeprefix("api-")
    # 一案双查's routes are told apart by their app (its REST names carry it already)
    if namespace == "dualcheck" and not name.startswith("dualcheck-"):
        name = f"dualcheck-{name}"
    label = ACTIONS.get(name)
    if label is None:
        label = APPS.get(namespace.split(":")[0], _("其他操作"))
    if api:
        via = _("接口")  # (outside the f-string: xgettext does not look inside one)
        return f"{label}（{via}）"
    return str(label)


# What ``object_type`` (the route's first parameter, ``case_id`` → ``case``) names.
OBJECTS = {
    "alert": _("预警"),
    "application": _("措施申请"),
    "approval": _("审批"),
    "asset": _("财产"),
    "attachment": _("附件"),
    "case": _("案件"),
    "clue": _("线索"),
    "deadline": _("期限"),
    "disbursement": _("支付案款通知"),
    "disposal": _("财产处置"),
    "entry": _("登记事项"),
    "hold": _("暂缓发放"),
    "job": _("导出任务"),
    "measure": _("信用惩戒措施"),
    "objection": _("执行异议"),
    "order": _("督办"),
    "person": _("人员"),
    "petition": _("信访"),
    "receipt": _("到账"),
    "search": _("网络查控"),
    "self_disposal": _("自行处置"),
    "split": _("分段办理"),
    "transfer": _("商请移送"),
}


def object_label(object_type: str, object_id: str) -> str:
    """``case`` ``42`` → 案件 42."""
    if not object_type:
        return ""
    name = OBJECTS.get(object_type, _("对象"))
    return f"{name} {object_id}".strip()
