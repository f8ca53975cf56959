"""The actions of the case page: for each, its form, the service it calls, when it is
offered (``enforcement.policy``) and what it says when done."""

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.exceptions import InvalidTransition, PermissionDenied, RuleViolation
from core.web.pages import Action, Done
from enforcement import forms as f
from enforcement import policy
from enforcement.models import Approval, CaseStatus, ObjectionStatus, SearchChannel, SplitStatus
from enforcement.services import assets as asset_services
from enforcement.services import cases as case_services
from enforcement.services import closure as closure_services
from enforcement.services import credit as credit_services
from enforcement.services import disposal as disposal_services
from enforcement.services import measures as measure_services
from enforcement.services import over_seizure as over_seizure_services
from enforcement.services import procedure as procedure_services
from enforcement.services import property_clues as property_clue_services

if TYPE_CHECKING:
    from enforcement.views.case_page import CasePage  # cycle: the page lists the actions


def _do_notice(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    case_services.case_serve_notice(actor=user, case=case, served_at=d["served_at"])
    return Done(_("已登记执行通知书、报告财产令送达。"))


def _do_search(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    codes = d["categories"] or (None if d["channel"] == SearchChannel.OFFLINE else [])
    asset_services.search_launch(
        actor=user, case=case, channel=d["channel"], category_codes=codes, launched_at=d["launched_at"],
        respondent=d.get("respondent"),
    )
    return Done(_("已发起财产查询。"))


def _do_feedback(page: "CasePage", search: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    findings = [
        asset_services.FindingInput(
            category=r.cleaned_data["category"],
            description=r.cleaned_data["description"],
            value=r.cleaned_data.get("value"),
            controllable_online=bool(r.cleaned_data.get("controllable_online")),
        )
        for r in form.findings.filled
    ]
    assets = asset_services.search_record_feedback(
        actor=user, search=search, received_at=d["received_at"], findings=findings, note=d.get("note") or ""
    )
    return Done(_("已登记查询反馈，查明财产 %(n)s 项。") % {"n": len(assets)})


OVER_SEIZURE_CODES = ("over_seizure", "over_seizure_value_unknown")


def _do_control(page: "CasePage", asset: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    approval = None
    if d.get("override_approval"):
        approval = next((a for a in form.page.usable_overrides if a.pk == d["override_approval"]), None)
    try:
        measure_services.control_create(
            actor=user, case=case, asset=asset, kind=d["kind"], amount=d.get("amount"), effective_at=d["effective_at"],
            override_approval=approval, estimated_value=d.get("estimated_value"),
            estimate_basis=d.get("estimate_basis") or "", estimate_note=d.get("estimate_note") or "",
            share=d.get("share") or "", share_value=d.get("share_value"),
            whole_because_indivisible=bool(d.get("whole_because_indivisible")),
            registry_refusal=d.get("registry_refusal") or "", selection_reason=d.get("selection_reason") or "",
        )
    except RuleViolation as exc:
        if exc.code not in OVER_SEIZURE_CODES:
            raise
        # the form offers the approval request in place; an unknown value is shown next to
        # the estimate it lacks, the limit (about the whole measure) at the top of the form
        form.approval_offer = f.ApprovalOffer(
            url=page.action_url(ACTIONS["approval-request"]),
            kind="over_seizure",
            hidden=[("asset", asset.pk)],
            label=_("超标的查封审批申请理由"),
            hint=_("说明为何确需超标的控制，或为何无法估算价值；由申请人以外的执行局长或院领导审批。"),
            submit=_("提出超标的查封审批申请"),
        )
        if exc.code == "over_seizure_value_unknown" and "estimated_value" in form.fields:
            raise RuleViolation(
                exc.message, code=exc.code, extra={**exc.extra, "fields": {"estimated_value": [str(exc.message)]}}
            ) from None
        raise
    return Done(_("已对“%(a)s”采取控制措施。") % {"a": asset.description})


def _do_objection(page: "CasePage", measure: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    over_seizure_services.seizure_objection_file(
        actor=user, measure=measure, party_id=d["party"], filed_at=d["filed_at"], grounds=d["grounds"],
        appraisal_requested=bool(d.get("appraisal_requested")), case_number=d.get("case_number") or "",
    )
    return Done(_("已登记超标的查封异议；评估期间不停止查封。"))


def _pending_objection(measure: Any) -> Any:
    return next((o for o in measure.objections.all() if o.status == ObjectionStatus.PENDING), None)


def _open_split(measure: Any) -> Any:
    return next((s for s in measure.splits.all() if s.status == SplitStatus.OPEN), None)


def _may_decide_objection(page: "CasePage", measure: Any) -> bool:
    objection = _pending_objection(measure)
    return objection is not None and policy.can_decide_seizure_objection(page.user, objection)


def _may_progress_split(page: "CasePage", measure: Any) -> bool:
    split = _open_split(measure)
    return split is not None and policy.can_progress_split(page.user, split)


def _do_objection_decide(page: "CasePage", measure: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    objection = _pending_objection(measure)
    if objection is None:
        raise InvalidTransition(_("该控制措施没有审查中的超标的查封异议。"))
    over_seizure_services.seizure_objection_decide(
        actor=user, objection=objection, ruling=d["ruling"], decided_at=d["decided_at"], note=d["note"],
        appraisal_value=d.get("appraisal_value"), case_number=d.get("case_number") or "",
        share=d.get("share") or "", share_value=d.get("share_value"),
    )
    return Done(_("已登记超标的查封异议的裁定。"))


def _do_release_excess(page: "CasePage", measure: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    over_seizure_services.control_release_excess(
        actor=user, measure=measure, at=d["at"], reason=d["reason"], share=d["share"], share_value=d["share_value"]
    )
    return Done(_("已解除超标的部分的查封。"))


def _do_split_progress(page: "CasePage", measure: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    split = _open_split(measure)
    if split is None:
        raise InvalidTransition(_("该控制措施没有待分割的事项。"))
    over_seizure_services.split_seizure_progress(actor=user, split=split, step=d["step"], at=d["at"])
    return Done(_("已登记分割查封进展。"))


def _do_uncontrollable(page: "CasePage", asset: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    asset_services.asset_mark_uncontrollable(
        actor=user, asset=asset, at=d["at"], reason=d.get("reason") or "", reason_code=d.get("reason_code") or "",
        evidence=d.get("evidence") or "",
    )
    return Done(_("已记录该财产无法控制及理由。"))


def _do_renew(page: "CasePage", measure: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    measure = measure_services.control_renew(actor=user, measure=measure, renewed_at=d["at"])
    return Done(_("已续行，新的到期日为 %(d)s。") % {"d": measure.expires_on.isoformat()})


def _do_release(page: "CasePage", measure: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    measure_services.control_release(actor=user, measure=measure, at=d["at"], reason=d["reason"])
    return Done(_("已解除控制措施。"))


def _do_disposal_start(page: "CasePage", asset: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    disposal_services.disposal_start(actor=user, asset=asset, method=d["method"], at=d["at"])
    return Done(_("已启动确定财产处置参考价程序。"))


def _do_self_disposal(page: "CasePage", asset: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    disposal_services.self_disposal_allow(actor=user, asset=asset, at=d["at"], days=d["days"])
    return Done(_("已准许被执行人自行处置，期限 %(n)s 日。") % {"n": d["days"]})


def _do_disposal_price(page: "CasePage", disposal: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    disposal_services.disposal_fix_price(actor=user, disposal=disposal, price=d["price"], at=d["at"])
    return Done(_("已确定参考价，应在 10 日内启动变价程序。"))


def _do_disposal_auction(page: "CasePage", disposal: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    disposal_services.disposal_launch_auction(
        actor=user, disposal=disposal, at=d["at"], platform=d["platform"], mode=d.get("mode") or "auction"
    )
    return Done(_("已启动拍卖。") if (d.get("mode") or "auction") == "auction" else _("已启动变卖。"))


def _do_disposal_conclude(page: "CasePage", disposal: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    disposal_services.disposal_conclude(actor=user, disposal=disposal, at=d["at"], sold=d["sold"], amount=d["amount"])
    return Done(_("已登记处置结果。"))


def _do_self_disposal_conclude(page: "CasePage", sd: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    disposal_services.self_disposal_conclude(actor=user, self_disposal=sd, at=d["at"], sold=d["sold"], amount=d["amount"])
    return Done(_("已登记自行处置结果。"))


def _do_property_clue(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    property_clue_services.property_clue_receive(
        actor=user, case=case, received_at=d["received_at"], description=d["description"],
        source=d.get("source") or "", specific=d["specific"], urgent=d["urgent"],
    )
    return Done(_("已登记财产线索，核查期限已开始计算。"))


def _do_property_clue_verify(page: "CasePage", clue: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    property_clue_services.property_clue_start_verification(actor=user, clue=clue, at=d["at"])
    return Done(_("已开始核查财产线索。"))


def _do_property_clue_conclude(page: "CasePage", clue: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    property_clue_services.property_clue_conclude(
        actor=user, clue=clue, at=d["at"], true=d["true"], note=d["note"], asset=d.get("asset")
    )
    return Done(_("已登记线索核查结果。"))


# --- h/gateprop: the property rows of the 终本 gate ----------------------------------------------


def _do_clue_asset(page: "CasePage", clue: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    property_clue_services.property_clue_link_asset(
        actor=user, clue=clue, at=d["at"], asset=d.get("asset"), category=d.get("category") or "",
        description=d.get("description") or "", value=d.get("value"),
    )
    return Done(_("已登记线索查明的财产，请及时采取控制措施。"))


def _do_waiting_seizure(page: "CasePage", asset: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    asset_services.asset_record_waiting_seizure(
        actor=user, asset=asset, at=d["at"], first_court=d.get("first_court") or "",
        applicant_priority=bool(d.get("applicant_priority")),
    )
    return Done(_("已记录轮候查封。"))


def _do_priority_transfer(page: "CasePage", asset: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    asset_services.priority_transfer_request(
        actor=user, asset=asset, at=d["at"], letter_no=d.get("letter_no") or "", first_court=d.get("first_court") or ""
    )
    return Done(_("已登记商请首封法院移送处置权。"))


def _pending_transfer(asset: Any) -> Any:
    return next((r for r in asset.priority_transfers.all() if r.answered_at is None), None)


def _do_priority_transfer_answer(page: "CasePage", asset: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    request = _pending_transfer(asset)
    if request is None:
        raise RuleViolation(_("该财产没有待答复的商请函。"), code="no_pending_transfer")
    asset_services.priority_transfer_answer(
        actor=user, request=request, at=d["at"], agreed=d["agreed"], note=d.get("note") or ""
    )
    return Done(_("已登记首封法院的答复。"))


def _do_offset_refusal(page: "CasePage", asset: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    disposal_services.disposal_record_offset_refusal(
        actor=user, asset=asset, applicant=d.get("applicant"), at=d["at"], document=d.get("document") or ""
    )
    return Done(_("已登记申请执行人拒绝以物抵债。"))


def _do_credit(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    issued = measure_services.credit_issue(
        actor=user, case=case, party_id=d["party"], kind=d["kind"], issued_at=d["issued_at"], grace_until=d.get("grace_until"),
        decision_no=d.get("decision_no") or "",
    )
    return Done(_("已发布：%(k)s。") % {"k": "、".join(str(m.get_kind_display()) for m in issued)})


def _do_credit_release(page: "CasePage", measure: Any, form: Any) -> Done:
    user, d = page.user, form.cleaned_data
    measure_services.credit_release(actor=user, measure=measure, at=d["at"], reason=d["reason"])
    return Done(_("已解除/删除该信用惩戒措施。"))


def _do_interview(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    case_services.case_record_interview(actor=user, case=case, at=d["at"], note=d["note"])
    return Done(_("已登记约谈申请执行人。"))


def _do_fulfilment(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    case_services.case_record_fulfilment(actor=user, case=case, at=d["at"], note=d["note"])
    return Done(_("已登记履行完毕；信用惩戒措施须在三个工作日内解除、删除。"))


def _do_track(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    case_services.case_set_track(actor=user, case=case, track=d["track"], reason=d.get("reason") or "")
    return Done(_("已调整繁简分流。"))


def _do_suspend(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    case_services.case_suspend(
        actor=user, case=case, at=d["at"], ruling_number=d.get("ruling_number") or "",
        approved_by=d.get("approved_by"), reason=d.get("reason") or "",
    )
    return Done(_("案件已中止执行，期限暂停计算。"))


def _do_resume(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    case_services.case_resume(actor=user, case=case, at=d["at"])
    return Done(_("案件已恢复执行，期限继续计算。"))


def _do_request_approval(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    closure_services.approval_request(actor=user, case=case, kind=d["kind"], reason=d["reason"], payload=form.payload())
    return Done(_("审批申请已提交，待执行局长审批。"))


def _do_close(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    try:
        result = closure_services.case_close(
            actor=user, case=case, closure=d["closure"], closed_at=d["closed_at"], document=d.get("document") or ""
        )
    except RuleViolation as exc:
        if exc.code != "closure_conditions_unmet":
            raise
        # the page lists what is missing under one line at the top of the form
        form.unmet_details = exc.extra.get("details", [])
        raise RuleViolation(_("不符合终结本次执行程序的条件（终本规定第一条），尚缺："), code=exc.code) from None
    if isinstance(result, Approval):
        return Done(_("终结本次执行程序申请已提交，待执行局长审批。"))
    return Done(_("案件已结案。"))


def _do_restore(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    restored = closure_services.case_restore(
        actor=user, case=case, new_case_number=d["case_number"], received_at=d["received_at"], reason=d["reason"]
    )
    return Done(
        _("已恢复执行，立案 %(n)s。") % {"n": restored.case_number},
        url=reverse("enforcement:case-detail", kwargs={"case_id": restored.pk}),
    )


def _do_service(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    procedure_services.document_serve(actor=user, case=case, party_id=d["party"], document=d["document"],
                                      method=d["method"], served_at=d["served_at"], note=d.get("note") or "")
    case.refresh_from_db(fields=["status"])
    if case.status == CaseStatus.CLOSED:
        return Done(_("已登记送达。终本裁定已送达全部当事人，案件已结案。"))
    return Done(_("已登记送达情况。"))


def _do_property_report(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    procedure_services.property_report_record(
        actor=user, case=case, respondent_id=d["respondent"], outcome=d["outcome"], at=d["at"],
        received_at=d.get("received_at"), check_result=d.get("check_result") or "",
    )
    return Done(_("已登记财产报告情况。"))


def _do_applicant_interview(page: "CasePage", obj: Any, form: Any) -> Done:
    user, case, d = page.user, page.case, form.cleaned_data
    procedure_services.applicant_interview_record(
        actor=user, case=case, applicant_id=d["applicant"], at=d["at"], note=d["note"], opinion=d["opinion"],
        opinion_text=d.get("opinion_text") or "",
    )
    return Done(_("已登记约谈及申请执行人意见。"))


def _progress(page: "CasePage", _obj: Any = None) -> bool:
    return policy.can_progress(page.user, page.case)


ACTIONS: dict[str, Action] = {
    a.slug: a
    for a in [
        # on the case (side panel, in the order a case usually runs)
        Action("notice", f.NoticeForm, _("送达执行通知书、报告财产令"), _("登记送达"), _do_notice,
               lambda p, o: policy.can_serve_notice(p.user, p.case)),
        Action("search", f.SearchLaunchForm, _("发起财产查询"), _("发起查询"), _do_search,
               lambda p, o: policy.can_launch_search(p.user, p.case)),
        Action("clue", f.ClueForm, _("登记财产线索"), _("登记线索"), _do_property_clue, _progress),
        Action("credit", f.CreditForm, _("限制消费 / 纳入失信名单"), _("发布"), _do_credit,
               lambda p, o: policy.can_progress(p.user, p.case) and bool(p.respondents)),
        Action("interview", f.InterviewForm, _("约谈申请执行人"), _("登记约谈"), _do_interview, _progress),
        Action("fulfilment", f.FulfilmentForm, _("登记履行完毕"), _("登记履行"), _do_fulfilment,
               lambda p, o: policy.can_record_fulfilment(p.user, p.case)),
        Action("approval-request", f.ApprovalRequestForm, _("申请审批（超标的查封、延长期限）"), _("提交申请"),
               _do_request_approval, _progress),
        Action("track", f.TrackForm, _("繁简分流"), _("调整"), _do_track, _progress),
        Action("suspend", f.SuspendForm, _("中止执行"), _("中止执行"), _do_suspend,
               lambda p, o: policy.can_suspend(p.user, p.case), danger=True),
        Action("resume", f.ResumeForm, _("恢复执行（中止后）"), _("恢复执行"), _do_resume,
               lambda p, o: policy.can_resume(p.user, p.case)),
        Action("close", f.CloseForm, _("结案"), _("结案"), _do_close, _progress, danger=True),
        Action("restore", f.RestoreForm, _("恢复执行（立执恢案件）"), _("恢复执行"), _do_restore,
               lambda p, o: policy.can_restore(p.user, p.case)),
        # on a sub-object (shown next to it)
        Action("feedback", f.FeedbackForm, _("登记查询反馈"), _("登记反馈"), _do_feedback,
               lambda p, s: policy.can_record_feedback(p.user, s), on="search"),
        Action("control", f.ControlForm, _("采取控制措施"), _("查封/扣押/冻结"), _do_control,
               lambda p, a: policy.can_control(p.user, a), on="asset"),
        Action("uncontrollable", f.UncontrollableForm, _("记录无法控制"), _("记录"), _do_uncontrollable,
               lambda p, a: policy.can_mark_uncontrollable(p.user, a), on="asset"),
        Action("disposal-start", f.DisposalStartForm, _("启动确定参考价"), _("启动"), _do_disposal_start,
               lambda p, a: policy.can_start_disposal(p.user, a),
               on="asset"),
        Action("self-disposal", f.SelfDisposalForm, _("准许自行处置"), _("准许"), _do_self_disposal,
               lambda p, a: policy.can_allow_self_disposal(p.user, a), on="asset"),
        Action("disposal-price", f.DisposalPriceForm, _("确定参考价"), _("确定"), _do_disposal_price,
               lambda p, d: policy.can_fix_price(p.user, d), on="disposal"),
        Action("disposal-auction", f.DisposalAuctionForm, _("启动拍卖"), _("启动拍卖"), _do_disposal_auction,
               lambda p, d: policy.can_launch_auction(p.user, d), on="disposal"),
        Action("disposal-conclude", f.DisposalConcludeForm, _("登记处置结果"), _("登记"), _do_disposal_conclude,
               lambda p, d: policy.can_conclude_disposal(p.user, d), on="disposal"),
        Action("self-disposal-conclude", f.DisposalConcludeForm, _("登记自行处置结果"), _("登记"),
               _do_self_disposal_conclude, lambda p, sd: policy.can_conclude_self_disposal(p.user, sd), on="selfdisposal"),
        Action("renew", f.ControlRenewForm, _("续行"), _("续行"), _do_renew,
               lambda p, m: policy.can_change_control(p.user, m), on="measure"),
        Action("release", f.ControlReleaseForm, _("解除"), _("解除"), _do_release,
               lambda p, m: policy.can_change_control(p.user, m), on="measure", danger=True),
        Action("clue-verify", f.ClueVerifyForm, _("开始核查"), _("开始核查"), _do_property_clue_verify,
               lambda p, c: policy.can_start_property_clue_verification(p.user, c), on="clue"),
        Action("clue-conclude", f.ClueConcludeForm, _("核查结论"), _("登记结论"), _do_property_clue_conclude,
               lambda p, c: policy.can_conclude_property_clue(p.user, c), on="clue"),
        # h/gateprop: the property rows of the 终本 gate (spec §3 #9, #11, #13)
        Action("clue-asset", f.ClueAssetForm, _("登记查明的财产"), _("登记"), _do_clue_asset,
               lambda p, c: policy.can_link_clue_asset(p.user, c), on="clue"),
        Action("waiting-seizure", f.WaitingSeizureForm, _("记录轮候查封"), _("记录"), _do_waiting_seizure,
               lambda p, a: policy.can_record_waiting_seizure(p.user, a), on="asset"),
        Action("priority-transfer", f.PriorityTransferForm, _("商请首封法院移送处置权"), _("登记发函"),
               _do_priority_transfer, lambda p, a: policy.can_request_priority_transfer(p.user, a), on="asset"),
        Action("priority-transfer-answer", f.PriorityTransferAnswerForm, _("登记首封法院答复"), _("登记答复"),
               _do_priority_transfer_answer,
               lambda p, a: policy.can_progress(p.user, a.case) and _pending_transfer(a) is not None, on="asset"),
        Action("offset-refusal", f.OffsetRefusalForm, _("申请执行人拒绝以物抵债"), _("登记"), _do_offset_refusal,
               lambda p, a: policy.can_record_offset_refusal(p.user, a), on="asset"),
        # 超标的查封 after the seizure (322号 §15)
        Action("objection", f.SeizureObjectionForm, _("超标的查封异议"), _("登记异议"), _do_objection,
               lambda p, m: policy.can_file_seizure_objection(p.user, m) and _pending_objection(m) is None,
               on="measure"),
        Action("objection-decide", f.SeizureObjectionDecideForm, _("异议裁定"), _("登记裁定"), _do_objection_decide,
               _may_decide_objection,
               on="measure"),
        Action("release-excess", f.ReleaseExcessForm, _("解除超标的部分"), _("解除"), _do_release_excess,
               lambda p, m: policy.can_release_excess(p.user, m) and m.amount is None, on="measure"),
        Action("split-progress", f.SplitProgressForm, _("分割查封进展"), _("登记"), _do_split_progress,
               _may_progress_split, on="measure"),
        Action("credit-release", f.CreditReleaseForm, _("解除/删除"), _("解除"), _do_credit_release,
               lambda p, m: policy.can_release_credit(p.user, m), on="credit", danger=True),
    ]
}


# --- h/credit: 失信/限消 per respondent (spec §4) ----------------------------------------------------


def _do_credit_serve(page: "CasePage", measure: Any, form: Any) -> Done:
    d = form.cleaned_data
    credit_services.credit_serve(actor=page.user, measure=measure, served_at=d["served_at"], method=d["method"], recipient=d["recipient"])
    return Done(_("已登记决定书送达。"))


def _do_credit_correction(page: "CasePage", measure: Any, form: Any) -> Done:
    d = form.cleaned_data
    credit_services.credit_correction_request(actor=page.user, measure=measure, at=d["at"], reason=d["reason"])
    return Done(_("已登记纠正申请，待执行局长审查。"))


def _do_credit_correction_decide(page: "CasePage", measure: Any, form: Any) -> Done:
    d = form.cleaned_data
    credit_services.credit_correction_decide(actor=page.user, measure=measure, at=d["at"], outcome=d["outcome"], reasons=d["reasons"])
    return Done(_("已作出纠正决定。"))


def _do_credit_urgent_release(page: "CasePage", measure: Any, form: Any) -> Done:
    d = form.cleaned_data
    credit_services.credit_urgent_release_request(actor=page.user, measure=measure, at=d["at"], reason=d["reason"])
    return Done(_("已登记立即解除申请，应当立即解除限制消费令。"))


def _do_credit_person_add(page: "CasePage", measure: Any, form: Any) -> Done:
    d = form.cleaned_data
    credit_services.credit_person_add(
        actor=page.user, measure=measure,
        person=credit_services.RestrictedPersonInput(d["name"], d["id_number"], d["role"], d.get("since"), d.get("until")),
    )
    return Done(_("已列明被限制消费人员。"))


def _do_credit_person_release(page: "CasePage", person: Any, form: Any) -> Done:
    d = form.cleaned_data
    credit_services.credit_person_release(actor=page.user, person=person, at=d["at"], change_record=d["change_record"])
    return Done(_("已解除对该人员的限制消费。"))


def _do_credit_guarantee(page: "CasePage", party: Any, form: Any) -> Done:
    d = form.cleaned_data
    credit_services.credit_guarantee_accept(
        actor=page.user, case=page.case, party_id=party.pk, at=d["at"], document=d["document"], amount=d.get("amount")
    )
    return Done(_("已登记提供有效担保；该被执行人的限制消费令须在三个工作日内解除。"))


def _do_credit_consent(page: "CasePage", party: Any, form: Any) -> Done:
    d = form.cleaned_data
    try:
        credit_services.credit_applicant_consent(
            actor=page.user, case=page.case, party_ids=[party.pk], at=d["at"], document=d["document"],
            delete_dishonest=d["delete_dishonest"],
        )
    except PermissionDenied as exc:
        if exc.code != "credit_deletion_needs_approval":
            raise
        # the form offers the deletion request in place (another approver decides)
        body = exc.extra["request"]["body"]
        form.approval_offer = f.ApprovalOffer(
            url=page.action_url(ACTIONS["approval-request"]),
            kind="dishonest_delete",
            hidden=[
                *(("respondent", pk) for pk in body["respondents"]),
                ("consent_at", body["consent_at"]),
                ("document", body["document"]),
            ],
            label=_("删除失信信息审批申请理由"),
            hint=_("申请执行人已书面同意删除失信信息；由执行局长或院领导审批，批准后删除期限开始计算。"),
            submit=_("提出删除失信信息审批申请"),
        )
        # shown on the form (422) with the request beside it, not as a bare refusal
        raise RuleViolation(exc.message, code=exc.code) from None
    return Done(_("已登记申请执行人同意；该被执行人的限制消费令须在三个工作日内解除。"))


def _do_dishonest_na(page: "CasePage", party: Any, form: Any) -> Done:
    d = form.cleaned_data
    credit_services.credit_dishonest_not_applicable(actor=page.user, case=page.case, party_id=party.pk, at=d["at"], reason=d["reason"])
    return Done(_("已记录该被执行人不符合纳入失信名单的条件。"))


def _issued_credit(p: "CasePage", m: Any) -> bool:
    return policy.can_release_credit(p.user, m)


ACTIONS.update({
    a.slug: a
    for a in [
        Action("credit-serve", f.CreditServeForm, _("登记送达"), _("登记送达"), _do_credit_serve,
               lambda p, m: _issued_credit(p, m) and m.served_at is None and policy.is_open(p.case), on="credit"),
        Action("credit-correction", f.CreditCorrectionRequestForm, _("纠正申请"), _("登记申请"), _do_credit_correction,
               lambda p, m: _issued_credit(p, m) and not m.correction_pending, on="credit"),
        Action("credit-correction-decide", f.CreditCorrectionDecideForm, _("纠正决定"), _("作出决定"),
               _do_credit_correction_decide,
               lambda p, m: _issued_credit(p, m) and m.correction_pending and policy.can_approve(p.user, p.case)
               and m.issued_by_id != p.user.pk, on="credit"),
        Action("credit-urgent-release", f.CreditUrgentReleaseForm, _("申请立即解除"), _("登记申请"),
               _do_credit_urgent_release,
               lambda p, m: _issued_credit(p, m) and m.kind == "restriction" and m.pk in p.credit_release_due, on="credit"),
        Action("credit-person-add", f.CreditPersonAddForm, _("列明被限制消费人员"), _("添加"), _do_credit_person_add,
               lambda p, m: _issued_credit(p, m) and m.kind == "restriction" and m.party.kind != "person"
               and policy.is_open(p.case), on="credit"),
        Action("credit-person-release", f.CreditPersonReleaseForm, _("解除该人员的限制消费"), _("解除"),
               _do_credit_person_release,
               lambda p, person: policy.can_act_on(p.user, p.case) and person.released_at is None, on="person"),
        Action("credit-guarantee", f.CreditGuaranteeForm, _("提供有效担保"), _("登记担保"), _do_credit_guarantee,
               lambda p, r: policy.can_progress(p.user, p.case) and r.pk in p.credit_restricted, on="respondent"),
        Action("credit-consent", f.CreditConsentForm, _("申请执行人同意解除"), _("登记同意"), _do_credit_consent,
               lambda p, r: policy.can_progress(p.user, p.case) and r.pk in p.credit_restricted, on="respondent"),
        Action("dishonest-not-applicable", f.DishonestNotApplicableForm, _("认定不符合失信条件"), _("记录"),
               _do_dishonest_na,
               lambda p, r: policy.can_progress(p.user, p.case) and r.pk not in p.credit_dishonest, on="respondent"),
    ]
})

# --- h/coercion: the 强制措施与调查措施 section's actions ---------------------------------------
from enforcement.views.coercion import COERCION_ACTIONS  # noqa: E402

ACTIONS.update(COERCION_ACTIONS)

# h/gateproc: the per-party records of the 终本 gate (case page section "终本程序")
ACTIONS.update({
    a.slug: a
    for a in [
        Action("service", f.ServiceForm, _("登记文书送达"), _("登记送达"), _do_service,
               lambda p, o: policy.can_record_service(p.user, p.case)),
        Action("property-report", f.PropertyReportForm, _("财产报告核查"), _("登记"), _do_property_report, _progress),
        Action("applicant-interview", f.ApplicantInterviewForm, _("约谈申请执行人并记录意见"), _("登记约谈"),
               _do_applicant_interview, _progress),
    ]
})
