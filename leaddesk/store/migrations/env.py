"""Alembic environment: run on the connection LeadDesk hands over, or on a URL for tooling."""

import warnings

from alembic import context
from sqlalchemy import Connection, create_engine
from sqlalchemy.exc import SAWarning

from leaddesk.store.models import Base

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction(), warnings.catch_warnings():
        # SQLite's batch mode reflects the tables a changed table refers to, and cannot read
        # an index on an expression (people's lower(email)): it says so, and those indexes stay
        # as they are (only the changed table is copied). Not a word for the user.
        warnings.filterwarnings(
            "ignore", "Skipped unsupported reflection of expression-based index", SAWarning
        )
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    run(given)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as connection:
        run(connection)
