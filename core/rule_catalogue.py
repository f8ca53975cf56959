"""The legal time limits the product counts (DESIGN "Rule catalogue").

``sync`` inserts rules that are missing and never overwrites a row an admin has
edited; it runs from data migrations, so a new rule ships with a migration.
"""

WD, CD, H, M = "working_days", "calendar_days", "hours", "months"

CATALOGUE: list[dict] = [
    {
        "code": "SEARCH_START",
        "name_zh": "发起网络查控",
        "name_en": "Start the online asset search",
        "duration": 5,
        "unit": WD,
        "warn_before": 1,
        "warn_before_unit": WD,
        "starts_on": "执行部门收到立案部门移送的案件材料",
        "stops_on": "通过总对总、点对点系统发起覆盖全部已开通财产类型的查询",
        "basis": "322号 第13条",
    },
    {
        "code": "CONTROL_AFTER_FEEDBACK",
        "name_zh": "反馈后采取控制措施",
        "name_en": "Control assets after search feedback",
        "duration": 3,
        "unit": WD,
        "warn_before": 1,
        "warn_before_unit": WD,
        "starts_on": "查询反馈有可供执行财产但无法线上控制",
        "stops_on": "对该财产采取控制措施（或记录无法控制及理由）",
        "basis": "322号 第13条",
    },
    {
        "code": "CLUE_VERIFY",
        "name_zh": "财产线索核查",
        "name_en": "Verify a property clue",
        "duration": 7,
        "unit": CD,
        "warn_before": 1,
        "warn_before_unit": WD,
        "variants": {"urgent": {"duration": 24, "unit": H, "warn_before": 6, "warn_before_unit": H}},
        "starts_on": "收到财产线索",
        "stops_on": "启动调查核实",
        "basis": "322号 第13条；财产调查规定 第2条",
    },
    {
        "code": "EXECUTION_NOTICE",
        "name_zh": "发出执行通知书",
        "name_en": "Serve the execution notice",
        "duration": 10,
        "unit": CD,
        "warn_before": 2,
        "warn_before_unit": WD,
        "starts_on": "收到申请执行书或移交执行书",
        "stops_on": "送达执行通知书及报告财产令",
        "basis": "民诉法解释 第480条",
    },
    {
        "code": "PRICE_START",
        "name_zh": "启动确定参考价",
        "name_en": "Start fixing the reference price",
        "duration": 30,
        "unit": CD,
        "warn_before": 3,
        "warn_before_unit": WD,
        "starts_on": "查封、扣押、冻结需拍卖变卖的财产",
        "stops_on": "启动议价、询价或评估",
        "basis": "322号 第16条",
    },
    {
        "code": "DISPOSAL_START",
        "name_zh": "启动变价程序",
        "name_en": "Launch the sale",
        "duration": 10,
        "unit": CD,
        "warn_before": 2,
        "warn_before_unit": WD,
        "starts_on": "参考价确定",
        "stops_on": "启动拍卖或变卖",
        "basis": "322号 第16条",
    },
    {
        "code": "SELF_DISPOSAL",
        "name_zh": "被执行人自行处置",
        "name_en": "Self-disposal by the debtor",
        "duration": None,
        "unit": CD,
        "max_duration": 90,
        "warn_before": 5,
        "warn_before_unit": WD,
        "starts_on": "准许被执行人自行处置",
        "stops_on": "成交或撤销准许",
        "basis": "322号 第17条",
    },
    {
        "code": "FUNDS_NOTICE",
        "name_zh": "发出支付案款通知",
        "name_en": "Send the payment notice to finance",
        "duration": 10,
        "unit": WD,
        "warn_before": 2,
        "warn_before_unit": WD,
        "starts_on": "执行案款到账（事后匹配的不明款，仍自到账时起算）",
        "stops_on": "向财务部门发出支付案款通知（或批准延缓发放、提存）",
        "basis": "322号 第22条",
    },
    {
        "code": "FUNDS_PAYMENT",
        "name_zh": "财务发放案款",
        "name_en": "Pay out the funds",
        "duration": 5,
        "unit": WD,
        "warn_before": 1,
        "warn_before_unit": WD,
        "starts_on": "财务部门收到支付案款通知",
        "stops_on": "案款发放至申请执行人",
        "basis": "322号 第22条",
    },
    {
        "code": "RESTRICTION_RELEASE",
        "name_zh": "解除限制消费令",
        "name_en": "Lift the consumption restriction",
        "duration": 3,
        "unit": WD,
        "warn_before": 1,
        "warn_before_unit": WD,
        "starts_on": "履行完毕、提供有效担保或申请执行人同意",
        "stops_on": "解除限制消费令",
        "basis": "322号 第23条",
        # 322号 §23 "因情况紧急当事人申请立即解除的，人民法院应当立即解除": the seed gives no
        # number; 24 h is the product's reading of "立即" (to be verified by an admin)
        "variants": {"urgent": {"duration": 24, "unit": H, "warn_before": 6, "warn_before_unit": H}},
    },
    {
        "code": "DISHONEST_DELETE",
        "name_zh": "删除失信信息",
        "name_en": "Delete the dishonest-debtor entry",
        "duration": 3,
        "unit": WD,
        "warn_before": 1,
        "warn_before_unit": WD,
        "starts_on": "被执行人履行完毕",
        "stops_on": "删除失信名单信息",
        "basis": "失信规定 第10条",
    },
    {
        "code": "CONTROL_EXPIRY",
        "name_zh": "控制措施期限届满",
        "name_en": "Control measure expires",
        "duration": 12,
        "unit": M,
        "roll_to_working_day": False,
        "variants": {
            "deposit": {"duration": 12, "unit": M},
            "movable": {"duration": 24, "unit": M},
            "real_estate": {"duration": 36, "unit": M},
            "other": {"duration": 36, "unit": M},
        },
        "warn_before": 30,
        "warn_before_unit": CD,
        "warn_again_before": 7,
        "starts_on": "控制措施生效",
        "stops_on": "续行或解除",
        "basis": "民诉法解释 第485条",
    },
    {
        "code": "TERMINATED_RESEARCH",
        "name_zh": "终本案件定期查询",
        "name_en": "Re-search a terminated case",
        "duration": 6,
        "unit": M,
        "warn_before": 10,
        "warn_before_unit": WD,
        "starts_on": "终结本次执行程序裁定（此后每六个月，五年内）",
        "stops_on": "再次发起网络查控",
        "basis": "终本规定 第9条",
    },
    {
        "code": "CASE_DURATION",
        "name_zh": "执行期限",
        "name_en": "Case duration",
        "duration": 6,
        "unit": M,
        "warn_before": 15,
        "warn_before_unit": CD,
        "starts_on": "立案",
        "stops_on": "结案（经批准可延长）",
        "basis": "审限规定 第5条",
    },
    {
        "code": "PETITION_REGISTER",
        "name_zh": "信访录入",
        "name_en": "Register a petition",
        "duration": 5,
        "unit": WD,
        "warn_before": 1,
        "warn_before_unit": WD,
        "starts_on": "收到信访材料",
        "stops_on": "录入执行信访办理系统",
        "basis": "322号 第30条",
    },
    {
        "code": "PETITION_CLOSE",
        "name_zh": "信访办结",
        "name_en": "Conclude a petition",
        "duration": 30,
        "unit": WD,
        "warn_before": 5,
        "warn_before_unit": WD,
        "starts_on": "收到信访材料",
        "stops_on": "办结",
        "basis": "322号 第30条",
    },
    {
        "code": "DUALCHECK_REPORT",
        "name_zh": "一案双查调查报告",
        "name_en": "Dual-check investigation report",
        "duration": None,
        "unit": CD,
        "warn_before": 3,
        "warn_before_unit": WD,
        "starts_on": "上级法院交办",
        "stops_on": "上报调查报告",
        "basis": "双查规定 第8条",
    },
    {
        "code": "DUALCHECK_SUPPLEMENT",
        "name_zh": "一案双查补充调查",
        "name_en": "Dual-check supplementary report",
        "duration": None,
        "unit": CD,
        "warn_before": 3,
        "warn_before_unit": WD,
        "starts_on": "上级法院责令限期补充调查",
        "stops_on": "上报补充调查报告",
        "basis": "双查规定 第8条",
    },
    {
        "code": "ORDER_RESPONSE",
        "name_zh": "督办回复",
        "name_en": "Respond to a supervision order",
        "duration": None,
        "unit": CD,
        "warn_before": 2,
        "warn_before_unit": WD,
        "starts_on": "上级法院发出督办",
        "stops_on": "下级法院回复",
        "basis": "322号 第28条",
    },
    # h/credit (spec §4): 纠正申请 of a 失信 entry — 失信规定 (outside the seeds), article and
    # periods unverified; ships switched off (is_active=False) until an admin verifies it.
    {
        "code": "DISHONEST_CORRECTION",
        "name_zh": "失信纠正申请审查",
        "name_en": "Decide a correction request on a dishonest-debtor entry",
        "duration": 15,
        "unit": CD,
        "warn_before": 3,
        "warn_before_unit": WD,
        "starts_on": "被纳入失信名单的被执行人提出纠正申请",
        "stops_on": "作出纠正决定（维持或予以纠正）",
        "basis": "322号 第23条（及时审查，及时纠正）；失信规定（期限未核实）",
        "is_active": False,
    },
]

# Case types (类型代字) and the clocks registration (收案) starts — lifecycle spec §5.
# Only the 执行实施 types of ``core.case_numbers.IMPLEMENTATION_TYPE_CODES`` are registered;
# 执异/执复/执监/执协/执他 are refused (``case_type_not_implementation``).
# ``on_register``: started for every case of the type; ``on_register_if_find_property``:
# only when the 保全裁定 orders the respondent's property to be found (322号 §13 counts
# from receipt for every case the department must search for). 执保 has no 执行通知 and
# no verified period for 保全执行, so neither EXECUTION_NOTICE nor CASE_DURATION.
CASE_TYPE_CLOCKS: dict[str, dict[str, tuple[str, ...]]] = {
    "执": {
        "on_register": ("SEARCH_START", "EXECUTION_NOTICE", "CASE_DURATION"),
        "on_register_if_find_property": (),
    },
    "执恢": {
        "on_register": ("SEARCH_START", "EXECUTION_NOTICE", "CASE_DURATION"),
        "on_register_if_find_property": (),
    },
    "执保": {
        "on_register": (),
        "on_register_if_find_property": ("SEARCH_START",),
    },
}


def sync(rule_model) -> int:
    """Insert missing catalogue rules into ``rule_model`` (a historical model in
    migrations). Returns how many were created."""
    existing = set(rule_model.objects.values_list("code", flat=True))
    fields = {f.name for f in rule_model._meta.get_fields()}
    new = [
        rule_model(**{k: v for k, v in {**spec, **CITATIONS_BY_RULE.get(spec["code"], {})}.items() if k in fields})
        for spec in CATALOGUE
        if spec["code"] not in existing
    ]
    rule_model.objects.bulk_create(new)
    return len(new)


# Extensions by rule (issue 15 item 3; lifecycle spec §2). A rule absent from this
# dict is fixed by law and cannot be extended (``extension_not_allowed``).
#   approver_roles  who may approve (core.models.Role values). There is no 院长 role:
#                   院领导 (``court_leader``) stands for the court president.
#   court           whose leaders: "case" = exactly the clock's court (the case's);
#                   "issuing" = the court that issued the subject (督办), or above it;
#                   "upper" = a court above the clock's court (the referring court).
#   max_total       the most all extensions together may add, in ``unit``;
#                   "original" = the period the clock was started with.
#   ceiling         alternatively: period + all extensions may not exceed this.
#   request_before_due  the request must be filed before the due moment.
EXTENSIONS: dict[str, dict] = {
    "CASE_DURATION": {
        "approver_roles": ("court_leader",),
        "approver_zh": "本院院长（院领导）",
        "court": "case",
        "max_total": 3,
        "unit": M,
        "request_before_due": True,
        "basis": "审限规定 第5条；执行期限规定 第1条（延长三个月，报请院长批准）",
    },
    "ORDER_RESPONSE": {
        "approver_roles": ("bureau_head", "case_supervisor"),
        "approver_zh": "督办法院（或其上级）的执行局长、专人监管",
        "court": "issuing",
        "max_total": "original",
        "unit": CD,
        "basis": "322号 第28条（回复期限由督办法院确定）",
    },
    "DUALCHECK_REPORT": {
        "approver_roles": ("bureau_head", "inspector"),
        "approver_zh": "交办的上级法院执行局长、监察部门",
        "court": "upper",
        "max_total": "original",
        "unit": CD,
        "basis": "双查规定 第5条、第8条（指定期限）",
    },
    "DUALCHECK_SUPPLEMENT": {
        "approver_roles": ("bureau_head", "inspector"),
        "approver_zh": "交办的上级法院执行局长、监察部门",
        "court": "upper",
        "max_total": "original",
        "unit": CD,
        "basis": "双查规定 第5条、第8条（指定期限）",
    },
    "SELF_DISPOSAL": {
        "approver_roles": ("bureau_head",),
        "approver_zh": "本院执行局长",
        "court": "case",
        "ceiling": 90,
        "unit": CD,
        "basis": "322号 第17条（最长不得超过90日）",
    },
}


# --- lifecycle: what a case event does to each rule's running clock -----------------
# (issue 15 item 1–2; docs/clock-lifecycle-spec.md §1). Services read this table; the
# catalogue page renders it. A closure never waives a clock.
#
# ENDS_MOOT (spec §1.2): the event took the duty's object away; a clock not yet due
# ends ``moot`` (neither met nor breached, excluded from 期限遵守率), one already
# overdue stays ``breached``. Only this table produces it.

KEEP_RUNNING = "KEEP_RUNNING"
PAUSE_WITH_APPROVED_REASON = "PAUSE_WITH_APPROVED_REASON"
RESUMES = "RESUMES"
STOP_MET = "STOP_MET"
REFUSE_CLOSURE = "REFUSE_CLOSURE"
ENDS_MOOT = "ENDS_MOOT"

# The named alternatives of a rule's ``variants`` as people call them (查封规定 §27:
# 冻结存款 1 年, 查封扣押动产 2 年, 查封不动产、冻结其他财产权 3 年).
VARIANTS_ZH = {
    "urgent": "情况紧急",
    "deposit": "冻结存款",
    "movable": "查封、扣押动产",
    "real_estate": "查封不动产",
    "other": "冻结其他财产权",
}

LIFECYCLE_OUTCOMES_ZH = {
    KEEP_RUNNING: "继续计算",
    PAUSE_WITH_APPROVED_REASON: "经批准事由方暂停",
    RESUMES: "恢复计算（期限顺延）",
    STOP_MET: "停止（本事项完成）",
    REFUSE_CLOSURE: "不得结案",
    ENDS_MOOT: "因事项终止（未到期的不计超期）",
}

# Case events, in the order of the catalogue page; the closure events are the values
# of enforcement's ClosureType.
CLOSURE_EVENTS = (
    "terminated_this_round",
    "fully_executed",
    "terminated",
    "withdrawn",
    "not_executed",
    "rejected",
    "bankruptcy",
    "cancelled",
)
LIFECYCLE_EVENTS = ("suspend", "resume", "restore", *CLOSURE_EVENTS, "move")
LIFECYCLE_EVENTS_ZH = {
    "suspend": "中止",
    "resume": "恢复",
    "restore": "恢复执行（执恢）",
    "terminated_this_round": "终本",
    "fully_executed": "执行完毕",
    "terminated": "终结执行",
    "withdrawn": "撤回申请（终结）",
    "not_executed": "不予执行",
    "rejected": "驳回申请",
    "bankruptcy": "移送破产审查",
    "cancelled": "销案",
    "move": "移送/指定执行",
}

# Which approval lets a PAUSE_WITH_APPROVED_REASON clock stand still: for the case's
# own procedure clocks the 中止 ruling (or the 移送破产审查 decision) itself; for the
# money clocks only an approved 延缓发放 (322号 §22), never the 中止.
SUSPENSION, FUNDS_HOLD = "suspension", "funds_hold"
PAUSE_APPROVAL = {"FUNDS_NOTICE": FUNDS_HOLD, "FUNDS_PAYMENT": FUNDS_HOLD}
PAUSE_APPROVAL_ZH = {SUSPENSION: "中止裁定", FUNDS_HOLD: "延缓发放审批"}


def _row(suspend: str, closures: dict[str, str], restore: str = KEEP_RUNNING) -> dict[str, str]:
    resume = RESUMES if suspend == PAUSE_WITH_APPROVED_REASON else KEEP_RUNNING
    return {"suspend": suspend, "resume": resume, "restore": restore, **closures, "move": KEEP_RUNNING}


def _closures(
    tz: str, others: str, *, bankruptcy: str | None = None, fully: str | None = None
) -> dict[str, str]:
    row = {event: others for event in CLOSURE_EVENTS}
    row["terminated_this_round"] = tz
    if fully is not None:
        row["fully_executed"] = fully
    row["bankruptcy"] = bankruptcy if bankruptcy is not None else others
    return row


_P, _K, _R, _S, _M = PAUSE_WITH_APPROVED_REASON, KEEP_RUNNING, REFUSE_CLOSURE, STOP_MET, ENDS_MOOT
# procedure clocks of the case: paused by 中止; 终本 refused while they run (322号 §24);
# every other closure takes their object away (spec [C1]); 移送破产 = the 中止 column.
_PROCEDURE = _row(_P, _closures(_R, _M, bankruptcy=_P))

LIFECYCLE: dict[str, dict[str, str]] = {
    "SEARCH_START": _PROCEDURE,
    "CONTROL_AFTER_FEEDBACK": _PROCEDURE,
    "CLUE_VERIFY": _PROCEDURE,
    "EXECUTION_NOTICE": _PROCEDURE,
    "PRICE_START": _PROCEDURE,
    "DISPOSAL_START": _PROCEDURE,
    # 322号 §17 "最长不得超过90日": a ceiling no pause may stretch
    "SELF_DISPOSAL": _row(_K, _closures(_R, _M, bankruptcy=_K)),
    # 322号 §22: money in the case account is paid, returned or deposited first
    "FUNDS_NOTICE": _row(_P, _closures(_R, _R, bankruptcy=_P)),
    "FUNDS_PAYMENT": _row(_P, _closures(_R, _R, bankruptcy=_P)),
    # 322号 §23: the release is owed whatever becomes of the case
    "RESTRICTION_RELEASE": _row(_K, _closures(_K, _R, bankruptcy=_K)),
    "DISHONEST_DELETE": _row(_K, _closures(_K, _R, bankruptcy=_K)),
    # spec §1: DISHONEST_CORRECTION takes the row of its sibling DISHONEST_DELETE
    "DISHONEST_CORRECTION": _row(_K, _closures(_K, _R, bankruptcy=_K)),
    # a freeze lapses on its own date (民诉法解释 §485); measures survive 终本
    "CONTROL_EXPIRY": _row(_K, _closures(_K, _R, bankruptcy=_K)),
    # started by 终本; 恢复执行 takes its object away (spec [C8]: ENDS_MOOT, not a
    # search recorded as met that never happened)
    "TERMINATED_RESEARCH": _row(_K, _closures(_K, _K), restore=_M),
    # 结案 is its own stop event
    "CASE_DURATION": _row(_P, _closures(_S, _S)),
    # owed to the petitioner, the upper court, the 双查 team: case events do not touch them
    "PETITION_REGISTER": _row(_K, _closures(_K, _K)),
    "PETITION_CLOSE": _row(_K, _closures(_K, _K)),
    "DUALCHECK_REPORT": _row(_K, _closures(_K, _K)),
    "DUALCHECK_SUPPLEMENT": _row(_K, _closures(_K, _K)),
    "ORDER_RESPONSE": _row(_K, _closures(_K, _K)),
}


def lifecycle_outcome(rule_code: str, event: str) -> str:
    """What ``event`` does to a running clock of ``rule_code`` (KEEP_RUNNING for a
    rule the table does not name: nothing ends a clock by default)."""
    return LIFECYCLE.get(rule_code, {}).get(event, KEEP_RUNNING)


def pauses_on(rule_code: str, event: str, approval: str) -> bool:
    """Whether ``event`` backed by ``approval`` (SUSPENSION or FUNDS_HOLD) pauses the
    clock of ``rule_code``."""
    return (
        lifecycle_outcome(rule_code, event) == PAUSE_WITH_APPROVED_REASON
        and PAUSE_APPROVAL.get(rule_code, SUSPENSION) == approval
    )


# --- petitions: feedback after 办结 (issue 15 item 10; lifecycle spec §8) -------------
# 322号 §30 "并将办理结果及时反馈当事人": the seed names no period ("及时"), so 5 working
# days is this court's setting, not the law's — editable in the catalogue, shipped
# unverified. Not extendable (absent from EXTENSIONS); case events do not touch it.
CATALOGUE.append(
    {
        "code": "PETITION_FEEDBACK",
        "name_zh": "信访结果反馈",
        "name_en": "Feed the petition result back",
        "duration": 5,
        "unit": WD,
        "warn_before": 1,
        "warn_before_unit": WD,
        "starts_on": "信访办结",
        "stops_on": "将办理结果反馈信访人",
        "basis": "322号 第30条（及时反馈；期限由本院设定）",
    }
)
LIFECYCLE["PETITION_FEEDBACK"] = _row(_K, _closures(_K, _K))


# --- citations (issue 15 item 11; lifecycle spec §1.1) ----------------------------------
# Per rule: the article of the law in force (民事诉讼法 in its 2023 numbering), the
# article as the seed quotes it where that number is superseded, and ``verified``:
# True only where the basis is the text of a seed in /shared/seeds (the seed *is*
# the text); everything outside the seeds ships False and is shown 未核实 until an
# admin confirms it against the official text (the rule's history records who).
CITATIONS_BY_RULE: dict[str, dict] = {
    "SEARCH_START": {"basis_in_force": "322号 第13条", "verified": True},
    "CONTROL_AFTER_FEEDBACK": {"basis_in_force": "322号 第13条", "verified": True},
    "CLUE_VERIFY": {
        "basis_in_force": "322号 第13条；财产调查规定（法释〔2017〕8号）第2条",
        "verified": False,
        "basis_note": "24小时启动核查见322号第13条；七日（紧急三日）核查期限出自财产调查规定，种子材料无原文",
    },
    "EXECUTION_NOTICE": {
        "basis_in_force": "民诉法解释（2022年修正）第480条",
        "verified": False,
        "basis_note": "种子材料无原文",
    },
    "PRICE_START": {"basis_in_force": "322号 第16条", "verified": True},
    "DISPOSAL_START": {"basis_in_force": "322号 第16条", "verified": True},
    "SELF_DISPOSAL": {"basis_in_force": "322号 第17条", "verified": True},
    "FUNDS_NOTICE": {"basis_in_force": "322号 第22条", "verified": True},
    "FUNDS_PAYMENT": {"basis_in_force": "322号 第22条", "verified": True},
    "RESTRICTION_RELEASE": {"basis_in_force": "322号 第23条", "verified": True},
    "DISHONEST_DELETE": {
        "basis_in_force": "失信规定（法释〔2017〕7号）第10条",
        "verified": False,
        "basis_note": "322号第23条仅要求“及时屏蔽失信信息”；三个工作日出自失信规定，种子材料无原文",
    },
    "CONTROL_EXPIRY": {
        "basis_in_force": "民诉法解释（2022年修正）第485条",
        "verified": False,
        "basis_note": "种子材料无原文",
    },
    "TERMINATED_RESEARCH": {
        "basis_in_force": "终本规定（法〔2016〕373号）第9条",
        "verified": False,
        "basis_note": "种子材料无原文",
    },
    "CASE_DURATION": {
        "basis_in_force": "审限规定（法释〔2000〕29号）第5条；执行期限规定（法发〔2006〕35号）第1条",
        "verified": False,
        "basis_note": "种子材料无原文",
    },
    "PETITION_REGISTER": {"basis_in_force": "322号 第30条", "verified": True},
    "PETITION_CLOSE": {"basis_in_force": "322号 第30条", "verified": True},
    "PETITION_FEEDBACK": {
        "basis_in_force": "322号 第30条（及时反馈；期限由本院设定）",
        "verified": False,
        "basis_note": "322号第30条只要求“及时反馈”，五个工作日是本院设定的期限，不是法定期限",
    },
    "DUALCHECK_REPORT": {"basis_in_force": "双查规定 第8条", "verified": True},
    "DUALCHECK_SUPPLEMENT": {"basis_in_force": "双查规定 第8条", "verified": True},
    "ORDER_RESPONSE": {"basis_in_force": "322号 第28条", "verified": True},
    "DISHONEST_CORRECTION": {
        "basis_in_force": "322号 第23条；失信规定（法释〔2017〕7号）第12条",
        "verified": False,
        "basis_note": "322号第23条只要求“及时审查，及时纠正”；十五日的审查期限出自失信规定，种子材料无原文",
    },
}

# Articles of 民事诉讼法 the seeds quote in the numbering of the 2017 text (322号 is
# dated 2021-12-06, before the 2021 amendment took effect). The law in force is the
# 2023 text; the numbers follow the renumbering offsets of the spec (+7 in 2021, +4
# in 2023), confirmed only by secondary text, hence ``verified=False``.
LEGAL_CITATIONS: list[dict] = [
    {
        "code": "CPL_SUPERVISE_EXECUTION",
        "in_force": "民事诉讼法第二百三十七条",
        "seed_source": "322号第28条",
        "seed_text": "第二百二十六条",
        "subject": "督促执行、提级执行、指令执行",
        "rule": "ORDER_RESPONSE",
        "note": "322号原文引作第二百二十六条（2017年文本）；2021年修正后为第二百三十三条，2023年修正后为第二百三十七条（按条文序号推算，待核实）",
    },
    {
        "code": "CPL_THIRD_PARTY_OBJECTION",
        "in_force": "民事诉讼法第二百三十八条",
        "seed_source": "322号第15条",
        "seed_text": "第二百二十七条",
        "subject": "案外人异议",
        "rule": None,
        "note": "322号原文引作第二百二十七条（2017年文本）；2021年修正后为第二百三十四条，2023年修正后为第二百三十八条（待核实）",
    },
    {
        "code": "CPL_EXECUTION_OBJECTION",
        "in_force": "民事诉讼法第二百三十六条",
        "seed_source": "322号第29条",
        "seed_text": "第二百二十五条",
        "subject": "执行行为异议、复议",
        "rule": None,
        "note": "322号原文引作第二百二十五条（2017年文本）；2021年修正后为第二百三十二条，2023年修正后为第二百三十六条（按条文序号推算，待核实）",
    },
]


def sync_citations(rule_model, citation_model) -> None:
    """Fill the citation fields of catalogue rules that have none yet (an admin's
    edit is never overwritten) and insert missing ``LEGAL_CITATIONS``."""
    for code, values in CITATIONS_BY_RULE.items():
        rule = rule_model.objects.filter(code=code, basis_in_force="").first()
        if rule is None:
            continue
        for field, value in values.items():
            setattr(rule, field, value)
        rule.save(update_fields=list(values))
    rules = {r.code: r for r in rule_model.objects.all()}
    existing = set(citation_model.objects.values_list("code", flat=True))
    citation_model.objects.bulk_create(
        [
            citation_model(**{**c, "rule": rules.get(c["rule"]) if c["rule"] else None})
            for c in LEGAL_CITATIONS
            if c["code"] not in existing
        ]
    )
