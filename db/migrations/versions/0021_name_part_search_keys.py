"""A name of several parts (阿依古丽·买买提, a foreign name with spaces) is also found by each part: the
search keys of the cases already stored get each part of every person's name, as a rebuild of the
projections gives them since (``desktop/domain/identity.py`` ``name_search_keys``).

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

#: What separates the parts of a stored (normalised) name: spaces and the middle dot, or a full stop.
_PARTS = re.compile(r"[\s·.]+")


def upgrade() -> None:
    connection = op.get_bind()
    persons = sa.table("case_persons", sa.column("case_id", sa.String), sa.column("name", sa.String))
    cases = sa.table("cases", sa.column("case_id", sa.String), sa.column("received_on", sa.Date))
    keys = sa.table("search_keys", sa.column("key", sa.String), sa.column("received_on", sa.Date),
                    sa.column("case_id", sa.String))
    several = sa.or_(persons.c.name.contains("·"), persons.c.name.contains("."), persons.c.name.contains(" "))
    wanted: dict[tuple[str, str], object] = {}
    for case_id, name, received_on in connection.execute(
            sa.select(persons.c.case_id, persons.c.name, cases.c.received_on)
            .join(cases, cases.c.case_id == persons.c.case_id).where(several)):
        parts = [p for p in _PARTS.split(name) if p]
        if len(parts) > 1:
            for part in parts:
                wanted[(part.lower()[:64], case_id)] = received_on
    case_ids = sorted({case_id for _key, case_id in wanted})
    held: set[tuple[str, str]] = set()
    for start in range(0, len(case_ids), 500):
        held.update((key, case_id) for key, case_id in connection.execute(
            sa.select(keys.c.key, keys.c.case_id).where(keys.c.case_id.in_(case_ids[start:start + 500]))))
    rows = [{"key": key, "received_on": received_on, "case_id": case_id}
            for (key, case_id), received_on in sorted(wanted.items(), key=lambda item: item[0])
            if (key, case_id) not in held]
    if rows:
        connection.execute(sa.insert(keys), rows)


def downgrade() -> None:
    """The extra keys stay: they find nothing the older program could not show."""
