"""Model instances written by PostgreSQL's COPY, for bulk loads (the town generator, the
full-text index): every concrete field, the primary key included, so the instances must
carry their ids."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def copy_rows(
    model: type[models.Model],
    rows: Iterable[tuple[models.Model, Sequence[Any]]],
    extra_columns: Sequence[str] = (),
) -> None:
    """COPY each (instance, extra values) into the model's table; `extra_columns` names
    columns the model does not declare (a raw column such as search_document.grams)."""
    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    columns = ", ".join([*(quote(f.column or f.name) for f in fields), *(quote(c) for c in extra_columns)])
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for obj, extra in rows:
            copy.write_row([*(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields), *extra])
