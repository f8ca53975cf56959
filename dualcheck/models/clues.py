"""一案双查 clues (双查规定): one clue is one state machine from receipt to closure.

``received → screened → pending_meeting → launched → referred → investigating →
reported → accepted → concluded → fed_back → closed``, with the loops of §8
(``reported → investigating`` for a supplementary investigation or the upper court
investigating directly) and the dead end ``not_launched`` (screened out, refused by
the head, or the joint meeting decided not to launch). A clue from 司法巡查/审务督察,
or one the supervision department registers from a complaint, goes straight to the
joint meeting (§4). Only ``dualcheck.services`` writes these rows.

Confidential (干警) content — the officers concerned, the allegation against them,
findings about them, disciplinary dispositions, clarification — lives in separate
fields and rows that ``dualcheck.selectors`` hands out only to those §-entitled to
it, and every read of it is recorded (``ConfidentialRead``).
"""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class ClueSource(models.TextChoices):
    """双查规定 §3 (一)–(九)."""

    LETTERS_VISITS = "letters_visits", _("人民群众来信来访")
    DEPUTIES = "deputies", _("人大代表、政协委员及其他党政机关反映或转交")
    PROCURATORATE = "procuratorate", _("检察机关检察建议")
    INSPECTION = "inspection", _("司法巡查或审务督察发现")
    LEADERS = "leaders", _("院领导、执行机构负责人重点督办事项")
    INCIDENT = "incident", _("涉执行重大突发事件、舆情事件")
    REVIEW_CASES = "review_cases", _("执行复议、协调、监督等案件中发现")
    COMMAND_CENTRE = "command_centre", _("执行指挥中心运行管理中发现")
    OTHER = "other", _("其他途径")


class ClueStatus(models.TextChoices):
    RECEIVED = "received", _("待筛选")
    SCREENED = "screened", _("待负责人审核")
    PENDING_MEETING = "pending_meeting", _("待联席会议")
    LAUNCHED = "launched", _("已启动，待交办")
    REFERRED = "referred", _("已交办，待组成调查组")
    INVESTIGATING = "investigating", _("调查中")
    REPORTED = "reported", _("报告待审查")
    ACCEPTED = "accepted", _("报告已采纳，待结论")
    CONCLUDED = "concluded", _("已形成结论")
    FED_BACK = "fed_back", _("已反馈")
    CLOSED = "closed", _("已办结")
    NOT_LAUNCHED = "not_launched", _("未启动")


# The stages, in order, for the board and the statistics.
STAGES = [s for s in ClueStatus.values]
OPEN_STATUSES = tuple(s for s in ClueStatus.values if s not in (ClueStatus.CLOSED, ClueStatus.NOT_LAUNCHED))
# While a team exists (formed and not yet concluded) its members see the clue.
TEAM_STATUSES = (ClueStatus.INVESTIGATING, ClueStatus.REPORTED, ClueStatus.ACCEPTED)


@pghistory.track()
class Clue(ConcurrentTransitionMixin, models.Model):
    """A 一案双查 clue handled by an upper court (``court``: 最高法, 高院 or 中院, §4)."""

    # e.g. 鲁01双查〔2026〕3号
    number = models.CharField(_("线索编号"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    court = models.ForeignKey(
        "core.Court", verbose_name=_("受理法院"), on_delete=models.PROTECT, related_name="dualcheck_clues"
    )
    source = models.CharField(_("线索来源"), max_length=16, choices=ClueSource.choices)
    source_detail = models.CharField(_("来源说明"), max_length=500, blank=True)
    # 反映的执行问题 (case handling, management) — seen by everyone who sees the clue.
    summary = models.TextField(_("反映的执行问题"))
    # 反映的干警问题 — confidential.
    officer_allegation = models.TextField(_("反映的干警违规违法违纪问题"), blank=True)
    complainant_name = models.CharField(_("反映人"), max_length=100, blank=True)
    complainant_phone = models.CharField(_("反映人电话"), max_length=20, blank=True)
    received_at = models.DateTimeField(_("收到时间"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    # The department that registered it (监察机构收到的举报投诉 goes to the meeting).
    registered_department = models.CharField(_("登记部门"), max_length=20)
    # Where the clue came from inside this product (no foreign keys: supervision
    # owns those rows; the link is recorded on both sides).
    petition_id = models.BigIntegerField(_("来源信访"), null=True, blank=True, unique=True)
    alert_id = models.BigIntegerField(_("来源预警"), null=True, blank=True)
    status = FSMField(_("阶段"), default=ClueStatus.RECEIVED, choices=ClueStatus.choices, protected=True)
    # screening by the working group, approval by the head of execution (§4)
    screened_at = models.DateTimeField(_("筛选时间"), null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    screening_opinion = models.TextField(_("筛选意见"), blank=True)
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approval_opinion = models.TextField(_("审核意见"), blank=True)
    # The court doing the investigation now (the lower court it was referred to,
    # or this court when it investigates directly).
    target_court = models.ForeignKey(
        "core.Court",
        verbose_name=_("调查法院"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dualcheck_clues_assigned",
    )
    # The running report clock (DUALCHECK_REPORT or DUALCHECK_SUPPLEMENT).
    report_deadline = models.ForeignKey(
        "core.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Report rounds: 1 for the first report, +1 per supplementary investigation.
    round = models.PositiveSmallIntegerField(_("调查轮次"), default=0)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.CharField(_("未启动或办结说明"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("一案双查线索")
        verbose_name_plural = _("一案双查线索")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["court", "status", "-received_at"], name="clue_court_status"),
            models.Index(fields=["target_court", "status"], name="clue_target_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["court", "year", "sequence"], name="clue_number_per_court_year"),
            models.CheckConstraint(condition=~Q(summary=""), name="clue_has_summary"),
            models.CheckConstraint(
                condition=Q(
                    status__in=["received", "screened", "pending_meeting", "launched", "not_launched"]
                )
                | Q(target_court__isnull=False),
                name="clue_referred_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # --- transitions: fields only, no I/O (STYLE §4) -------------------------------
    @transition(field=status, source=ClueStatus.RECEIVED, target=ClueStatus.SCREENED)
    def screen(self, *, by, at, opinion: str) -> None:
        self.screened_by, self.screened_at, self.screening_opinion = by, at, opinion

    @transition(field=status, source=ClueStatus.SCREENED, target=ClueStatus.PENDING_MEETING)
    def approve(self, *, by, at, opinion: str) -> None:
        self.approved_by, self.approved_at, self.approval_opinion = by, at, opinion

    @transition(field=status, source=ClueStatus.RECEIVED, target=ClueStatus.PENDING_MEETING)
    def to_meeting(self) -> None:
        """§4: a clue from inspection, or one the supervision department brings,
        goes to the joint meeting without the working group's screening."""

    @transition(field=status, source=ClueStatus.PENDING_MEETING, target=ClueStatus.LAUNCHED)
    def launch(self) -> None:
        pass

    @transition(
        field=status,
        source=[ClueStatus.RECEIVED, ClueStatus.SCREENED, ClueStatus.PENDING_MEETING],
        target=ClueStatus.NOT_LAUNCHED,
    )
    def drop(self, *, by, at, reason: str) -> None:
        self.closed_by, self.closed_at, self.close_reason = by, at, reason

    @transition(field=status, source=[ClueStatus.LAUNCHED, ClueStatus.REPORTED], target=ClueStatus.REFERRED)
    def refer(self, *, target_court, deadline) -> None:
        self.target_court, self.report_deadline = target_court, deadline
        self.round += 1

    @transition(field=status, source=ClueStatus.REFERRED, target=ClueStatus.INVESTIGATING)
    def start_investigation(self) -> None:
        pass

    @transition(field=status, source=ClueStatus.INVESTIGATING, target=ClueStatus.REPORTED)
    def report(self) -> None:
        self.report_deadline = None

    @transition(field=status, source=ClueStatus.REPORTED, target=ClueStatus.INVESTIGATING)
    def supplement(self, *, deadline) -> None:
        self.report_deadline = deadline
        self.round += 1

    @transition(field=status, source=ClueStatus.REPORTED, target=ClueStatus.ACCEPTED)
    def accept(self) -> None:
        pass

    @transition(field=status, source=ClueStatus.ACCEPTED, target=ClueStatus.CONCLUDED)
    def conclude(self) -> None:
        pass

    @transition(field=status, source=ClueStatus.CONCLUDED, target=ClueStatus.FED_BACK)
    def feed_back(self) -> None:
        pass

    @transition(field=status, source=[ClueStatus.CONCLUDED, ClueStatus.FED_BACK], target=ClueStatus.CLOSED)
    def close(self, *, by, at, note: str) -> None:
        self.closed_by, self.closed_at, self.close_reason = by, at, note


@pghistory.track()
class ClueCase(models.Model):
    """A case the clue concerns. Shown to whoever sees the clue; the case page shows
    anyone else at most that a review exists."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="case_links")
    case = models.ForeignKey(
        "enforcement.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="dualcheck_links"
    )

    class Meta:
        verbose_name = _("线索涉及案件")
        verbose_name_plural = _("线索涉及案件")
        constraints = [models.UniqueConstraint(fields=["clue", "case"], name="cluecase_unique")]
        indexes = [models.Index(fields=["case"], name="cluecase_case")]

    def __str__(self) -> str:
        return f"{self.clue_id} · {self.case_id}"


@pghistory.track()
class ClueOfficer(models.Model):
    """An officer concerned (涉及干警) — confidential. ``user`` (when the officer uses
    this system) shuts that person out of the clue entirely."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="officers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50)
    court = models.ForeignKey(
        "core.Court", verbose_name=_("所在法院"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField(_("职务"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("涉及干警")
        verbose_name_plural = _("涉及干警")
        constraints = [
            models.UniqueConstraint(
                fields=["clue", "user"], condition=Q(user__isnull=False), name="clueofficer_unique_user"
            )
        ]
        indexes = [models.Index(fields=["user"], name="clueofficer_user")]

    def __str__(self) -> str:
        return self.name


class MeetingPurpose(models.TextChoices):
    LAUNCH = "launch", _("研究是否启动")
    CONCLUSION = "conclusion", _("会商形成检查结论")


@pghistory.track()
class JointMeeting(models.Model):
    """联席会议 of the execution and supervision departments (§4, §9)."""

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="meetings")
    purpose = models.CharField(_("议题"), max_length=12, choices=MeetingPurpose.choices)
    held_at = models.DateTimeField(_("召开时间"))
    minutes = models.TextField(_("会议纪要"))
    # launch meetings: the decision (launch or not) and why
    launch = models.BooleanField(_("决定启动"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.held_at:%Y-%m-%d}"


class MeetingParticipant(models.Model):
    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # 执行局 or 监察/督察部门, from the person's membership at the clue's court
    department = models.CharField(_("部门"), max_length=20)

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="meetingparticipant_unique")]

    def __str__(self) -> str:
        return str(self.user)
