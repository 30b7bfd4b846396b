"""The reads authentication makes on every request, each one SQL statement built once per process and database.

- `user_by(field, value)`: the user a JWT names (simplejwt's USER_ID_FIELD), by `one_by(manager, field, value)`;
- `api_key_by_prefix(prefix)`: a key that is not revoked, with its owner, in one query;
- `record_api_key_use(api_key)`: `last_used_at`, written at most once a minute per key, by one UPDATE.

Through the ORM, each lookup builds a query and compiles it to SQL on every call:
two thirds of what authenticating costs. Here the statement is built from the
models' `_meta` at first use, per model and database alias (so a custom user
model, its table, columns and primary key, and either database engine get
theirs), and kept. A row is made into instances as the ORM makes them: each
value goes through the database backend's converters and then the field's own
(`from_db_value`), and `Model.from_db` builds the instance, so that
`request.user` is the same object a queryset would give. The read goes through
`connection.cursor()`, so query logging, `CaptureQueriesContext` and the
connection's execute wrappers see it as they see the ORM's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import Manager, Model, Q, QuerySet
from django.dispatch import receiver
from django.utils import timezone

# last_used_at is written at most this often per key: not a database write on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class _Columns:
    """Every concrete column of one model, as a SELECT list, and how to make a row of them into an instance."""

    model: type[Model]
    select: str
    names: tuple[str, ...]
    # (position, converters, the expression they are called with), for the columns that have any.
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]

    @classmethod
    def of(cls, model: type[Model], connection: Any) -> _Columns:
        table = model._meta.db_table
        quote = connection.ops.quote_name
        # concrete_fields is the order Model.from_db expects a whole row in.
        fields = model._meta.concrete_fields
        converters = []
        for position, field in enumerate(fields):
            column = field.get_col(table)
            # What the ORM's compiler applies to a selected column: the backend's, then the field's. They
            # are called with the connection of the thread that reads; the backend's are bound to the ops of
            # the one that built them, whose state (its time zone) comes from the settings, the same for all.
            found = tuple(connection.ops.get_db_converters(column) + column.get_db_converters(connection))
            if found:
                converters.append((position, found, column))
        return cls(
            model=model,
            select=", ".join(f"{quote(table)}.{quote(field.column)}" for field in fields),
            names=tuple(field.attname for field in fields),
            converters=tuple(converters),
        )

    def __len__(self) -> int:
        return len(self.names)

    def instance(self, values: list[Any], db: str, connection: Any) -> Model:
        for position, converters, expression in self.converters:
            value = values[position]
            for converter in converters:
                value = converter(value, expression, connection)
            values[position] = value
        return self.model.from_db(db, self.names, values)


@dataclass(frozen=True)
class _RowStatement:
    columns: _Columns
    sql: str


@dataclass(frozen=True)
class _APIKeyStatement:
    key: _Columns
    owner: _Columns
    sql: str
    not_revoked: Any


_statements: dict[tuple[Any, ...], Any] = {}


def _row_statement(model: type[Model], field_name: str, later: str | None, db: str) -> _RowStatement:
    found = _statements.get((model, field_name, later, db))
    if found is None:
        connection = connections[db]
        columns = _Columns.of(model, connection)
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        sql = f"SELECT {columns.select} FROM {table} WHERE {table}.{quote(model._meta.get_field(field_name).column)} = %s"
        if later is not None:
            sql += f" AND {table}.{quote(model._meta.get_field(later).column)} > %s"
        found = _statements[(model, field_name, later, db)] = _RowStatement(columns, sql)
    return found


def _one_table(model: type[Model]) -> bool:
    """Are all of `model`'s columns in its own table? (Not those of a model inheriting another's table, nor a proxy.)"""
    return not model._meta.parents and not model._meta.proxy


def _plain(manager: Manager) -> bool:
    """Does `manager` give every row of its model's one table, as Django's own Manager does?
    (A project's may hide some rows; a model may inherit columns from another table.)"""
    return (
        type(manager).get_queryset is Manager.get_queryset
        and manager._queryset_class is QuerySet
        and _one_table(manager.model)
    )


def one_by(manager: Manager, field_name: str, value: Any, *, later: tuple[str, Any] | None = None) -> Model | None:
    """What `manager.get(**{field_name: value})` finds (`field_name` a unique field), or None; with `later`,
    (a field, a value), only a row whose field is greater than the value (`{field}__gt`).

    A manager that filters rows (its own `get_queryset()` or QuerySet class), or a model whose columns are
    not all in its own table, is asked through the ORM.
    """
    model = manager.model
    if not _plain(manager):
        conditions = {field_name: value, **({f"{later[0]}__gt": later[1]} if later else {})}
        try:
            return manager.get(**conditions)
        except (model.DoesNotExist, TypeError, ValueError, ValidationError):
            return None
    db = manager.db
    connection = connections[db]
    statement = _row_statement(model, field_name, later[0] if later else None, db)
    try:
        # As the ORM's lookups prepare them: "5" for an integer key is 5, a UUID or a datetime its database form.
        params = [model._meta.get_field(field_name).get_db_prep_value(value, connection, prepared=False)]
        if later is not None:
            params.append(model._meta.get_field(later[0]).get_db_prep_value(later[1], connection, prepared=False))
    except (TypeError, ValueError, ValidationError):
        return None  # no row has such a value
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        rows = cursor.fetchmany(2)
    if len(rows) != 1:
        return None
    return statement.columns.instance(list(rows[0]), db, connection)


def user_by(field_name: str, value: Any) -> Model | None:
    """The user whose `field_name` (a unique field: simplejwt's USER_ID_FIELD) is `value`, or None,
    as simplejwt finds it (`User.objects.get(...)`)."""
    return one_by(get_user_model().objects, field_name, value)


def _api_key_statement(model: type[Model], db: str) -> _APIKeyStatement:
    found = _statements.get((model, db))
    if found is None:
        connection = connections[db]
        quote = connection.ops.quote_name
        owner_field = model._meta.get_field("owner")
        owner_model = owner_field.related_model
        key, owner = _Columns.of(model, connection), _Columns.of(owner_model, connection)
        table, owner_table = quote(model._meta.db_table), quote(owner_model._meta.db_table)
        target = quote(owner_field.target_field.column)
        prefix = quote(model._meta.get_field("prefix").column)
        revoked = quote(model._meta.get_field("revoked").column)
        sql = (
            f"SELECT {key.select}, {owner.select} FROM {table}"
            f" INNER JOIN {owner_table} ON {table}.{quote(owner_field.column)} = {owner_table}.{target}"
            f" WHERE {table}.{prefix} = %s AND {table}.{revoked} = %s"
        )
        not_revoked = model._meta.get_field("revoked").get_db_prep_value(False, connection, prepared=False)
        found = _statements[(model, db)] = _APIKeyStatement(key, owner, sql, not_revoked)
    return found


def api_key_by_prefix(prefix: str) -> Model | None:
    """The API key of `prefix` that is not revoked, its `owner` loaded with it (one query), or None.

    Expiry and the secret are for the caller to check.
    """
    from .models import APIKey

    if not (_plain(APIKey.objects) and _one_table(APIKey._meta.get_field("owner").related_model)):
        try:  # a user model inheriting another's table: the ORM joins them
            return APIKey.objects.select_related("owner").get(prefix=prefix, revoked=False)
        except APIKey.DoesNotExist:
            return None
    db = router.db_for_read(APIKey)
    connection = connections[db]
    statement = _api_key_statement(APIKey, db)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, [prefix, statement.not_revoked])
        rows = cursor.fetchmany(2)
    if len(rows) != 1:  # the prefix is unique: none, or a revoked one
        return None
    row = list(rows[0])
    split = len(statement.key)
    api_key = statement.key.instance(row[:split], db, connection)
    # The owner through the relation's descriptor, as select_related() leaves it: no query on access.
    api_key.owner = statement.owner.instance(row[split:], db, connection)
    return api_key


def record_api_key_use(api_key: Any) -> None:
    """Set `last_used_at` to now, unless it was set less than LAST_USED_PRECISION ago.

    One UPDATE whose WHERE says "not used within the precision", so that
    processes using the same key at once write it once, and a key used
    within the minute costs no statement at all (its row was just read).
    """
    now = timezone.now()
    stale = now - LAST_USED_PRECISION
    if api_key.last_used_at is not None and api_key.last_used_at > stale:
        return
    type(api_key)._default_manager.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale), pk=api_key.pk
    ).update(last_used_at=now)
    api_key.last_used_at = now


@receiver(setting_changed, dispatch_uid="framework.auth.lookup.forget")
def _forget(*, setting: str, **kwargs: Any) -> None:
    # A test that swaps the databases or the user model: build each statement again at its next use.
    if setting in ("DATABASES", "AUTH_USER_MODEL"):
        _statements.clear()
