"""The node kinds 一案双查 records (``NodeEvent.kind``), with their names in words.

A clue's nodes carry no case (the case timeline must not show a review's progress to
the officers concerned) and nothing confidential in their payload
(``dualcheck.services.common.record``). The values are stored: never change one.
"""

from django.utils.translation import gettext_lazy as _

from core.events import NodeKind


class ClueNode(NodeKind):
    REGISTERED = "dualcheck.clue_registered", _("登记线索")
    SCREENED = "dualcheck.clue_screened", _("工作组筛选")
    APPROVED = "dualcheck.clue_approved", _("执行局长审核")
    MEETING_DECIDED = "dualcheck.meeting_decided", _("联席会议决定")
    REFERRED = "dualcheck.referred", _("交办")
    OFFICERS_RECORDED = "dualcheck.officers_recorded", _("补充登记涉及干警")
    TEAM_FORMED = "dualcheck.team_formed", _("组成联合调查组")
    TEAM_CHANGED = "dualcheck.team_changed", _("调整联合调查组成员")
    REPORT_SUBMITTED = "dualcheck.report_submitted", _("上报调查报告")
    REVIEWED = "dualcheck.reviewed", _("审查调查报告")
    CONCLUDED = "dualcheck.concluded", _("形成检查结论")
    FED_BACK = "dualcheck.fed_back", _("向反映人反馈")
    CLARIFIED = "dualcheck.clarified", _("澄清")
    CLOSED = "dualcheck.closed", _("办结")


NODE_KINDS: tuple[type[NodeKind], ...] = (ClueNode,)
