"""Reads the database from `sqlalchemy.url`, as Alembic's default template does."""
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config

engine = engine_from_config(
    config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool
)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
