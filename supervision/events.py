"""The kinds of node event supervision records (``NodeEvent.kind``), with their
names in words. Registered with ``core.events`` when the app is ready, so any page
(the case timeline of enforcement too) shows them through ``node_label``.

The stored values keep their historical form ("supervision.<noun>_<verb>"): rows
already written carry them."""

from django.utils.translation import gettext_lazy as _

from core.events import NodeKind


class OrderNode(NodeKind):
    """督办 (322号 §28)."""

    ISSUED = "supervision.order_issued", _("上级法院督办")
    RESPONDED = "supervision.order_responded", _("回复督办")
    ACCEPTED = "supervision.order_accepted", _("督办办结（认可回复）")
    RETURNED = "supervision.order_returned", _("督办回复被退回")
    WITHDRAWN = "supervision.order_withdrawn", _("撤回督办")


class PetitionNode(NodeKind):
    """执行信访 (322号 §30)."""

    RECEIVED = "supervision.petition_received", _("收到执行信访")
    REGISTERED = "supervision.petition_registered", _("信访录入")
    CONCLUDED = "supervision.petition_concluded", _("信访办结")
    FED_BACK = "supervision.petition_fed_back", _("信访结果反馈")
    FLAGGED_DUALCHECK = "supervision.petition_flagged_dualcheck", _("信访转一案双查线索")


# Alerts write no node event: the escalation ladder records its steps on the alert
# rows themselves (``supervision.models.Alert``).
NODE_KINDS: tuple[type[NodeKind], ...] = (OrderNode, PetitionNode)
