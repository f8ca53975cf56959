"""The steps of the clue page: one ``core.web.pages.Action`` per slug of
``dualcheck.policy.clue_actions`` (except writing the report, which has its own
editor). ``perform(user, clue, form)`` calls the service with the form's cleaned
data; ``run`` validates the form and calls it through ``core.web.pages.action_run``,
which either reports success or hands back the bound form with the refusal placed
next to its field."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError, ValidationFailed
from core.models import Court, User
from core.web.pages import Action, action_run
from dualcheck import forms as f
from dualcheck.services import clues as s_clues
from dualcheck.services import investigation as s_inv
from dualcheck.services import outcome as s_out
from supervision.selectors.orders import orders_visible_to


def run(request: HttpRequest, *, spec: Action, clue, form: f.ClueActionForm) -> int | None:
    """Run ``spec`` with the bound ``form``. Returns ``None`` when done, else the
    status to answer with (403, 409 or 422) — the errors are on the form."""
    _result, status = action_run(
        form,
        lambda: spec.perform(request.user, clue, form),
        code_fields=spec.code_fields,
        rowsets=form.rowsets,
    )
    return status


# --- what each step calls ---------------------------------------------------------------------


def _screen(user, clue, form):
    d = form.cleaned_data
    return s_clues.clue_screen(actor=user, clue=clue, proceed=d["proceed"], opinion=d["opinion"])


def _approve(user, clue, form):
    d = form.cleaned_data
    return s_clues.clue_approve(actor=user, clue=clue, approved=d["approved"], opinion=d["opinion"])


def _decide(user, clue, form):
    d = form.cleaned_data
    return s_clues.clue_decide(
        actor=user,
        clue=clue,
        launch=d["launch"],
        participants=d["participants"],
        minutes=d["minutes"],
        held_at=d["held_at"],
    )


def _refer(user, clue, form):
    d = form.cleaned_data
    return s_clues.clue_refer(
        actor=user,
        clue=clue,
        mode=d["mode"],
        report_days=d["report_days"],
        instructions=d["instructions"],
        target_court=d.get("target_court"),
    )


def _form_team(user, clue, form):
    return s_inv.team_form(actor=user, clue=clue, members=form.cleaned_data["members"])


def _record_work(user, clue, form):
    d = form.cleaned_data
    return s_inv.team_record_work(
        actor=user, clue=clue, methods=d["methods"], scope=d["scope"], notes=d.get("notes") or ""
    )


def _review(user, clue, form):
    d = form.cleaned_data
    return s_inv.clue_review(
        actor=user,
        clue=clue,
        decision=d["decision"],
        opinion=d["opinion"],
        days=d.get("days"),
        hearing_at=d.get("hearing_at"),
        hearing_record=d.get("hearing_record") or "",
    )


def _order_id(user, text: str | None, path: str) -> int | None:
    """A 督办 typed by its number (or its id) → its id, among the orders ``user`` sees."""
    if not text:
        return None
    visible = orders_visible_to(user)
    pk = visible.filter(number=text).values_list("pk", flat=True).first()
    if pk is None and text.isdigit():
        pk = visible.filter(pk=int(text)).values_list("pk", flat=True).first()
    if pk is None:
        raise ValidationFailed.for_field(
            path, _("没有编号为 %(n)s 的督办，或不在您的可见范围内。") % {"n": text}
        )
    return pk


def _conclude(user, clue, form):
    d = form.cleaned_data
    rows = []
    for i, row in enumerate(form.dispositions.filled):
        item = row.service_row()
        item["supervision_order"] = _order_id(
            user, item["supervision_order"], f"dispositions[{i}].supervision_order"
        )
        rows.append(item)
    return s_out.clue_conclude(
        actor=user,
        clue=clue,
        finding=d["finding"],
        summary=d["summary"],
        participants=d["participants"],
        minutes=d["minutes"],
        dispositions=rows,
        held_at=d["held_at"],
    )


def _feedback(user, clue, form):
    d = form.cleaned_data
    return s_out.clue_feedback(actor=user, clue=clue, method=d["method"], content=d["content"])


def _clarify(user, clue, form):
    d = form.cleaned_data
    return s_out.clue_clarify(actor=user, clue=clue, scope=d["scope"], content=d["content"])


def _record_officers(user, clue, form):
    d = form.cleaned_data
    officers = []
    if d.get("name"):
        court = Court.objects.filter(code=d["court"].strip(), is_active=True).first()
        if court is None:
            raise ValidationFailed.for_field("court", _("法院 %(c)s 不存在。") % {"c": d["court"]})
        account = None
        if d.get("user"):
            account = User.objects.filter(username=d["user"].strip(), is_active=True).first()
            if account is None:
                raise ValidationFailed.for_field("user", _("没有用户名为 %(u)s 的账号。") % {"u": d["user"]})
        officers.append(
            {"name": d["name"], "court": court, "user": account, "position": d.get("position") or ""}
        )
    try:
        return s_clues.clue_record_officers(
            actor=user, clue=clue, officers=officers, officer_allegation=d.get("officer_allegation") or None
        )
    except ApplicationError as exc:
        # the service names rows (officers[0].court); this form has one row's fields
        fields = exc.extra.get("fields") if isinstance(exc.extra, dict) else None
        if isinstance(fields, dict):
            exc.extra["fields"] = {str(k).rsplit(".", 1)[-1]: v for k, v in fields.items()}
        raise


def _close(user, clue, form):
    return s_out.clue_close(actor=user, clue=clue, note=form.cleaned_data.get("note") or "")


ACTIONS: dict[str, Action] = {
    a.slug: a
    for a in [
        Action(
            "screen",
            f.ScreenForm,
            _("工作组筛选"),
            _("提交筛选意见"),
            _screen,
            done=_("已记录筛选意见。"),
        ),
        Action(
            "approve",
            f.ApproveForm,
            _("执行局长审核"),
            _("提交审核意见"),
            _approve,
            done=_("已记录审核意见。"),
        ),
        Action(
            "decide",
            f.DecideForm,
            _("联席会议决定是否启动"),
            _("记录会议决定"),
            _decide,
            done=_("已记录联席会议决定。"),
            code_fields={"node_in_future": "held_at"},
        ),
        Action(
            "refer",
            f.ReferForm,
            _("交办"),
            _("交办"),
            _refer,
            done=_("已交办，报告期限开始计算。"),
        ),
        Action(
            "form-team",
            f.FormTeamForm,
            _("组成联合调查组"),
            _("组成调查组"),
            _form_team,
            done=_("联合调查组已组成。"),
            code_fields={"team_composition": "members", "conflict_of_interest": "members"},
        ),
        Action(
            "record-work",
            f.RecordWorkForm,
            _("记录调查方式和检查范围"),
            _("保存"),
            _record_work,
            done=_("已保存调查工作记录。"),
        ),
        Action(
            "review",
            f.ReviewForm,
            _("审查调查报告"),
            _("提交审查决定"),
            _review,
            done=_("已记录审查决定。"),
        ),
        Action(
            "conclude",
            f.ConcludeForm,
            _("联席会议形成检查结论"),
            _("记录检查结论"),
            _conclude,
            done=_("已形成检查结论，联合调查组工作结束。"),
            code_fields={"node_in_future": "held_at", "meeting_composition": "participants"},
        ),
        Action(
            "record-officers",
            f.RecordOfficersForm,
            _("补充登记涉及干警（涉密）"),
            _("登记"),
            _record_officers,
            done=_("已登记涉及干警。"),
        ),
        Action(
            "feedback",
            f.FeedbackForm,
            _("向反映人反馈"),
            _("记录反馈"),
            _feedback,
            done=_("已记录反馈。"),
        ),
        Action(
            "clarify",
            f.ClarifyForm,
            _("澄清"),
            _("记录澄清"),
            _clarify,
            done=_("已记录澄清。"),
        ),
        Action(
            "close",
            f.CloseForm,
            _("办结"),
            _("办结线索"),
            _close,
            done=_("线索已办结。"),
            danger=True,
        ),
    ]
}
