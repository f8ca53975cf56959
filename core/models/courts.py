import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _


class CourtLevel(models.TextChoices):
    SUPREME = "supreme", _("最高人民法院")
    HIGH = "high", _("高级人民法院")
    INTERMEDIATE = "intermediate", _("中级人民法院")
    BASIC = "basic", _("基层人民法院")


@pghistory.track()
class Court(models.Model):
    """A court in the tree 最高法 → 高院 → 中院 → 基层.

    ``path`` is a materialised path of codes (``/最高法/鲁/鲁01/鲁0102/``) so "this court
    and everything below it" is one indexed prefix query. Only
    ``core.services.courts`` writes it.
    """

    # 法院代字 as used in case numbers (法〔2015〕137号 附件): 最高法, 鲁, 鲁01, 鲁0102
    code = models.CharField(_("法院代字"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=CourtLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级法院"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("法院")
        verbose_name_plural = _("法院")
        ordering = ["path"]
        indexes = [
            # LIKE 'prefix%' needs a pattern-ops index on PostgreSQL unless the
            # database collation is C.
            models.Index(fields=["path"], name="court_path_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def is_within(self, other: "Court") -> bool:
        """True if this court is ``other`` or below it."""
        return self.path.startswith(other.path)
