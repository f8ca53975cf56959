"""REST routes of enforcement, under /api/v1/ (config.urls)."""

from django.urls import path

from enforcement.api import (
    approvals,
    assets,
    case_actions,
    cases,
    disposals,
    measures,
    property_clues,
    searches,
    seizure_objections,
)

urlpatterns = [
    path("cases/", cases.CaseListCreateApi.as_view(), name="api-cases"),
    path("cases/bulk/", cases.CaseBulkApi.as_view(), name="api-cases-bulk"),
    path("cases/<int:case_id>/", cases.CaseDetailApi.as_view(), name="api-case"),
    path("cases/<int:case_id>/notice/", case_actions.CaseNoticeApi.as_view(), name="api-case-notice"),
    path("cases/<int:case_id>/interview/", case_actions.CaseInterviewApi.as_view(), name="api-case-interview"),
    path("cases/<int:case_id>/suspend/", case_actions.CaseSuspendApi.as_view(), name="api-case-suspend"),
    path("cases/<int:case_id>/resume/", case_actions.CaseResumeApi.as_view(), name="api-case-resume"),
    path("cases/<int:case_id>/track/", case_actions.CaseTrackApi.as_view(), name="api-case-track"),
    path("cases/<int:case_id>/fulfilment/", case_actions.CaseFulfilmentApi.as_view(), name="api-case-fulfilment"),
    path("cases/<int:case_id>/close/", case_actions.CaseCloseApi.as_view(), name="api-case-close"),
    path("cases/<int:case_id>/restore/", case_actions.CaseRestoreApi.as_view(), name="api-case-restore"),
    path("cases/<int:case_id>/asset-searches/", searches.SearchLaunchApi.as_view(), name="api-case-searches"),
    path("cases/<int:case_id>/control-measures/", measures.ControlCreateApi.as_view(), name="api-case-controls"),
    path("cases/<int:case_id>/property-clues/", property_clues.ClueCreateApi.as_view(), name="api-case-clues"),
    path("cases/<int:case_id>/credit-measures/", measures.CreditIssueApi.as_view(), name="api-case-credit"),
    path("cases/<int:case_id>/approvals/", approvals.ApprovalRequestApi.as_view(), name="api-case-approvals"),
    path("asset-categories/", assets.AssetCategoryListApi.as_view(), name="api-asset-categories"),
    path("asset-searches/<int:search_id>/feedback/", searches.SearchFeedbackApi.as_view(), name="api-search-feedback"),
    path("asset-searches/feedback/bulk/", searches.SearchFeedbackBulkApi.as_view(), name="api-search-feedback-bulk"),
    path("assets/<int:asset_id>/uncontrollable/", assets.AssetUncontrollableApi.as_view(), name="api-asset-uncontrollable"),
    path("assets/<int:asset_id>/disposals/", disposals.DisposalStartApi.as_view(), name="api-asset-disposals"),
    path("assets/<int:asset_id>/self-disposal/", disposals.SelfDisposalApi.as_view(), name="api-asset-self-disposal"),
    path("control-measures/<int:measure_id>/renew/", measures.ControlRenewApi.as_view(), name="api-control-renew"),
    path("control-measures/<int:measure_id>/release/", measures.ControlReleaseApi.as_view(), name="api-control-release"),
    path("property-clues/<int:clue_id>/verify/", property_clues.ClueVerifyApi.as_view(), name="api-clue-verify"),
    path("property-clues/<int:clue_id>/conclude/", property_clues.ClueConcludeApi.as_view(), name="api-clue-conclude"),
    path("disposals/<int:disposal_id>/fix-price/", disposals.DisposalFixPriceApi.as_view(), name="api-disposal-price"),
    path("disposals/<int:disposal_id>/launch-auction/", disposals.DisposalAuctionApi.as_view(), name="api-disposal-auction"),
    path("disposals/<int:disposal_id>/conclude/", disposals.DisposalConcludeApi.as_view(), name="api-disposal-conclude"),
    path("self-disposals/<int:self_disposal_id>/conclude/", disposals.SelfDisposalConcludeApi.as_view(), name="api-self-disposal-conclude"),
    path("credit-measures/<int:measure_id>/release/", measures.CreditReleaseApi.as_view(), name="api-credit-release"),
    path("approvals/", approvals.ApprovalListApi.as_view(), name="api-approvals"),
    path("approvals/<int:approval_id>/approve/", approvals.ApprovalApproveApi.as_view(), name="api-approval-approve"),
    path("approvals/<int:approval_id>/reject/", approvals.ApprovalRejectApi.as_view(), name="api-approval-reject"),
    # h/credit: 失信/限消 per respondent (spec §4)
    path("cases/<int:case_id>/credit-guarantee/", measures.CreditGuaranteeApi.as_view(), name="api-case-credit-guarantee"),
    path("cases/<int:case_id>/credit-consent/", measures.CreditConsentApi.as_view(), name="api-case-credit-consent"),
    path("cases/<int:case_id>/dishonest-not-applicable/", measures.DishonestNotApplicableApi.as_view(), name="api-case-dishonest-na"),
    path("credit-measures/<int:measure_id>/serve/", measures.CreditServeApi.as_view(), name="api-credit-serve"),
    path("credit-measures/<int:measure_id>/correction/", measures.CreditCorrectionRequestApi.as_view(), name="api-credit-correction"),
    path("credit-measures/<int:measure_id>/correction-decision/", measures.CreditCorrectionDecideApi.as_view(), name="api-credit-correction-decide"),
    path("credit-measures/<int:measure_id>/urgent-release/", measures.CreditUrgentReleaseApi.as_view(), name="api-credit-urgent-release"),
    path("credit-measures/<int:measure_id>/persons/", measures.CreditPersonAddApi.as_view(), name="api-credit-persons"),
    path("restricted-persons/<int:person_id>/release/", measures.CreditPersonReleaseApi.as_view(), name="api-restricted-person-release"),
    # --- h/gateprop ---
    path("assets/<int:asset_id>/waiting-seizure/", assets.AssetWaitingSeizureApi.as_view(), name="api-asset-waiting-seizure"),
    path("assets/<int:asset_id>/priority-transfer/", assets.PriorityTransferCreateApi.as_view(), name="api-asset-priority-transfer"),
    path("priority-transfers/<int:transfer_id>/answer/", assets.PriorityTransferAnswerApi.as_view(), name="api-priority-transfer-answer"),
    path("assets/<int:asset_id>/offset-refusals/", disposals.OffsetRefusalApi.as_view(), name="api-asset-offset-refusals"),
    path("property-clues/<int:clue_id>/asset/", property_clues.ClueAssetApi.as_view(), name="api-clue-asset"),
]

# --- h/coercion: 强制措施与调查措施 register ---------------------------------------------
from enforcement.api import coercion  # noqa: E402

urlpatterns += [
    path("cases/<int:case_id>/coercion/", coercion.CoercionRegisterApi.as_view(), name="api-case-coercion"),
    path("cases/<int:case_id>/coercion-findings/", coercion.CoercionFindingCreateApi.as_view(), name="api-case-coercion-findings"),
    path("cases/<int:case_id>/measure-applications/", coercion.MeasureApplicationCreateApi.as_view(), name="api-case-measure-applications"),
    path("cases/<int:case_id>/obstruction-decisions/", coercion.ObstructionDecisionCreateApi.as_view(), name="api-case-obstruction-decisions"),
    path("coercion/<int:entry_id>/outcome/", coercion.ReferralOutcomeApi.as_view(), name="api-coercion-outcome"),
    path("measure-applications/<int:application_id>/decide/", coercion.MeasureApplicationDecideApi.as_view(), name="api-measure-application-decide"),
]

# h/gateproc: the per-party records of the 终本 gate, and the public 终本 list (322号 §11)
from enforcement.api import procedure, public  # noqa: E402

urlpatterns += [
    path("cases/<int:case_id>/services/", procedure.CaseServiceApi.as_view(), name="api-case-services"),
    path("cases/<int:case_id>/property-reports/", procedure.CasePropertyReportApi.as_view(), name="api-case-property-reports"),
    path("cases/<int:case_id>/applicant-interviews/", procedure.CaseApplicantInterviewApi.as_view(),
         name="api-case-applicant-interviews"),
    path("public/terminated-cases/", public.PublicTerminatedCaseListApi.as_view(), name="api-public-terminated-cases"),
    # 超标的查封异议 and 分割查封 (322号 §15; h/overseize)
    path("cases/<int:case_id>/seizure-objections/", seizure_objections.CaseSeizureObjectionsApi.as_view(), name="api-case-seizure-objections"),
    path("control-measures/<int:measure_id>/objections/", seizure_objections.ObjectionFileApi.as_view(), name="api-control-objections"),
    path("control-measures/<int:measure_id>/release-excess/", seizure_objections.ControlReleaseExcessApi.as_view(), name="api-control-release-excess"),
    path("seizure-objections/<int:objection_id>/decide/", seizure_objections.ObjectionDecideApi.as_view(), name="api-objection-decide"),
    path("split-seizures/<int:split_id>/progress/", seizure_objections.SplitProgressApi.as_view(), name="api-split-progress"),
]
