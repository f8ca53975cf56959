import pghistory
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person (or, with an ``api_client`` membership, a machine client)."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    # Chinese names are not split into first and last: the admin's greeting and every
    # list of people show the full name (姓名), the username only when there is none.
    def get_full_name(self) -> str:
        return self.display_name or self.username

    def get_short_name(self) -> str:
        return self.get_full_name()


class Department(models.TextChoices):
    EXECUTION = "execution", _("执行局")
    SUPERVISION = "supervision", _("监察/督察部门")
    FINANCE = "finance", _("财务部门")
    COMMAND_CENTRE = "command_centre", _("执行指挥中心")
    LEADERSHIP = "leadership", _("院领导")
    TECHNOLOGY = "technology", _("信息技术部门")


class Role(models.TextChoices):
    CLERK = "clerk", _("书记员/法官助理")
    HANDLER = "handler", _("承办人")
    BUREAU_HEAD = "bureau_head", _("执行局长")
    CASE_SUPERVISOR = "case_supervisor", _("专人监管")
    FINANCE = "finance", _("财务人员")
    INSPECTOR = "inspector", _("监察/督察人员")
    COURT_LEADER = "court_leader", _("院领导")
    API_CLIENT = "api_client", _("接口客户端")
    ADMIN = "admin", _("系统管理员")


# Roles that also see every court below their own (DESIGN "Who sees what").
SUPERVISORY_ROLES = frozenset(
    {Role.CASE_SUPERVISOR, Role.BUREAU_HEAD, Role.INSPECTOR, Role.COURT_LEADER, Role.ADMIN}
)


@pghistory.track()
class Membership(models.Model):
    """A user's role in a department of a court. Revoking sets ``revoked_at``; the
    row stays so history shows who could see what, and when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    court = models.ForeignKey("core.Court", on_delete=models.PROTECT, related_name="memberships")
    department = models.CharField(_("部门"), max_length=20, choices=Department.choices)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "court", "role"],
                condition=models.Q(revoked_at__isnull=True),
                name="membership_unique_active_role",
            )
        ]
        indexes = [models.Index(fields=["court", "role"], name="membership_court_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.court.code} · {self.get_role_display()}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def is_supervisory(self) -> bool:
        return self.role in SUPERVISORY_ROLES
