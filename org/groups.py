"""Creates the role groups and grants their model permissions after every ``migrate``.

Idempotent: it only adds what is missing, so permissions granted by hand are kept.
Permissions themselves are created by Django's own post-migrate handler, which runs first
(``django.contrib.auth`` is installed before this app).
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from core.roles import Role

# Model permissions each group gets in the admin and the API (app_label.codename).
GROUP_PERMISSIONS: dict[str, list[str]] = {
    Role.HR: [
        f"org.{action}_{model}"
        for model in ("orgunit", "track", "level", "staff", "appointment")
        for action in ("view", "add", "change")
    ]
    + ["core.view_auditevent"],
    Role.ADMIN: [
        f"org.{action}_{model}"
        for model in ("orgunit", "track", "level", "staff", "appointment")
        for action in ("view", "add", "change", "delete")
    ]
    + ["core.view_auditevent", "auth.view_user", "auth.add_user", "auth.change_user"],
    Role.LEADERSHIP: ["org.view_staff", "org.view_appointment", "org.view_orgunit"],
}


def ensure_role_groups(sender=None, using="default", **kwargs) -> None:
    if getattr(sender, "name", None) not in (None, "org"):
        return
    for role in Role.values:
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = GROUP_PERMISSIONS.get(role, [])
        if not wanted:
            continue
        condition = Q(pk__in=[])
        for perm in wanted:
            app_label, codename = perm.split(".")
            condition |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.using(using).filter(condition))
