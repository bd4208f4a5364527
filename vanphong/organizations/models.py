from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a position lets its holder do. The title printed on documents (chức danh) is Position.title."""

    CLERK = "clerk", _("Clerk (văn thư)")
    HEAD = "head", _("Head of agency (thủ trưởng)")
    DEPUTY_HEAD = "deputy_head", _("Deputy head of agency (cấp phó)")
    UNIT_HEAD = "unit_head", _("Head of unit (trưởng đơn vị)")
    UNIT_DEPUTY = "unit_deputy", _("Deputy head of unit (phó đơn vị)")
    SPECIALIST = "specialist", _("Specialist (chuyên viên)")
    ADMINISTRATOR = "administrator", _("Administrator (quản trị)")


class AdministrativeUnit(models.Model):
    """A province or commune of the national list after the 1 July 2025 reform (mã số ĐVHC, QĐ 19/2025).
    Codes are stable for a unit's lifetime and never reused."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        COMMUNE = "commune", _("commune")

    code = models.CharField(_("administrative unit code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=150)
    division_type = models.CharField(_("division type"), max_length=50)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name=_("province"),
    )

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Agency(models.Model):
    """An agency or organisation (cơ quan, tổ chức), hosted on this platform or known only for exchange."""

    # QCVN 102 / QĐ 20/2020 electronic identifier. Up to 35 characters since the 2022 amendment; never rejected
    # for its shape, since real traffic carries codes that no regex would accept.
    code = models.CharField(_("identifier code (mã định danh)"), max_length=35, blank=True)
    name = models.CharField(_("full name"), max_length=250)
    short_name = models.CharField(
        _("short name in notations"), max_length=30, blank=True, help_text=_("e.g. UBND, STC, as in 12/QĐ-UBND")
    )
    place_name = models.CharField(
        _("place name (địa danh)"), max_length=100, blank=True, help_text=_("as written on the date line")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    is_hosted = models.BooleanField(
        _("hosted on this platform"),
        default=True,
        help_text=_("Unticked for external agencies known only for document exchange."),
    )
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("administrative unit"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor agency"),
        help_text=_("The agency that took over after a merger or dissolution."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="agency_code_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="agency_validity_ordered",
            ),
            models.CheckConstraint(condition=~Q(successor=models.F("id")), name="agency_not_own_successor"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})" if self.code else self.name

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Unit(models.Model):
    """An internal unit of an agency (phòng, ban, văn phòng), possibly inside another unit."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units", verbose_name=_("agency"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    name = models.CharField(_("name"), max_length=250)
    short_name = models.CharField(
        _("short name in notations"), max_length=30, blank=True, help_text=_("e.g. VP, KT, as in 12/UBND-VP")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_in_agency")]

    def __str__(self):
        return f"{self.name} – {self.agency.short_name or self.agency.name}"


class PositionQuerySet(models.QuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
            person__is_active=True,
        )


class Position(models.Model):
    """A person's place in an agency or unit. A person may hold several, in several agencies."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="positions", verbose_name=_("person")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="positions", verbose_name=_("agency"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="positions", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    title = models.CharField(_("title (chức danh)"), max_length=150, blank=True, help_text=_("e.g. Phó Chủ tịch"))
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("until"), null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["agency__name", "role", "person__full_name"]

    def __str__(self):
        where = self.unit.name if self.unit_id else self.agency.short_name or self.agency.name
        return f"{self.person} – {self.title or self.get_role_display()} – {where}"


class Delegation(models.Model):
    """Authorisation (ủy quyền): for a date range another person acts in a position, e.g. while its holder is away.
    Routing looks up holders through organizations.selectors.acting_holders(), which includes delegates."""

    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("position")
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="delegations_received",
        verbose_name=_("delegate"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="delegation_dates_ordered")
        ]

    def __str__(self):
        return f"{self.position} → {self.delegate}"
