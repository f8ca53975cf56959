from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

BACKDATE_WINDOW_DEFAULT_HOURS = 24
BACKDATE_WINDOW_MAX_HOURS = 72


class ApiToken(models.Model):
    """A machine client's key. Only the SHA-256 of the key is stored; the key itself
    is shown once, when ``create_api_client`` makes it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(_("密钥前缀"), max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    # How late the integrated system's nodes may arrive and still take effect at their
    # source time (its syncs run late); older ones go to 待核实 (322号 §12).
    backdate_window_hours = models.PositiveSmallIntegerField(
        _("补录时间窗（小时）"),
        default=BACKDATE_WINDOW_DEFAULT_HOURS,
        validators=[MinValueValidator(0), MaxValueValidator(BACKDATE_WINDOW_MAX_HOURS)],
    )

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        constraints = [
            models.CheckConstraint(
                condition=Q(backdate_window_hours__lte=BACKDATE_WINDOW_MAX_HOURS), name="apitoken_backdate_window_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class IdempotencyRecord(models.Model):
    """The first response to a POST carrying an ``Idempotency-Key`` (API.md)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
