"""The authentication backend: Django's model backend, whose user of each request arrives with
their roles — one plain query for the user and their groups, not two ORM queries.

The signed-in user is loaded on every request with a session (the pages and every fragment of
the home page), so this lookup is paid more often than anything else the product does: the ORM
spends longer building a query than PostgreSQL spends answering a primary-key look-up. The
statement is therefore written once per process, from the user model's own table and columns.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection

from core.roles import remember_roles

GROUP_NAME = "ladder_group_name"
"""The column of the statement that holds a group's name (``None`` for a user without one)."""


@cache
def _statement() -> str:
    """The SQL of "the user and the names of their groups": one row per group, or one row with
    no group name."""
    user_model = get_user_model()
    through = user_model.groups.through._meta
    quote = connection.ops.quote_name
    columns = ", ".join(f"u.{quote(field.column)}" for field in user_model._meta.concrete_fields)
    user_fk = through.get_field("user").column
    group_fk = through.get_field("group").column
    return (
        f"SELECT {columns}, g.{quote('name')} AS {GROUP_NAME} "  # noqa: S608 - model names only
        f"FROM {quote(user_model._meta.db_table)} u "
        f"LEFT JOIN {quote(through.db_table)} ug ON ug.{quote(user_fk)} = u.{quote('id')} "
        f"LEFT JOIN {quote(Group._meta.db_table)} g ON g.{quote('id')} = ug.{quote(group_fk)} "
        f"WHERE u.{quote(user_model._meta.pk.column)} = %s"
    )


class RolesModelBackend(ModelBackend):
    """``ModelBackend`` (usernames and passwords, model permissions) whose ``get_user`` — the
    signed-in user of every request with a session — reads the user's roles in the same
    query. The roles are read afresh on every request, never kept in the session."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        # A raw query set: the ORM's conversion of each column (dates, flags), none of its
        # query building.
        rows = list(user_model._default_manager.raw(_statement(), [pk]))
        if not rows:
            return None
        user = rows[0]
        remember_roles(user, [getattr(row, GROUP_NAME) for row in rows if getattr(row, GROUP_NAME)])
        return user if self.user_can_authenticate(user) else None
