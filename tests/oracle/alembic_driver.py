"""Drives real Alembic in-process for content-db's differential tests.

Reads one JSON request on stdin, prints one JSON answer on stdout. The request either describes
a throwaway history ("revisions": each {id, down, message, date, slug}; a project with no-op
migrations is written under "dir") or names an existing project ("ini": path to alembic.ini,
"x": list of -x arguments). "db" is the SQLite file and "commands" a list of
{"op": upgrade|downgrade|stamp|history|current|heads, "target" (a list for
several stamp targets), "purge", "range", "verbose", "indicate_current"}.

For each command the answer holds the alembic_version rows before and after (table order), the
"Running ..." lines Alembic logged, what it printed, and the error text if it refused.
"""
import io
import json
import logging
import logging.config
import os
import sqlite3
import sys
import warnings
from argparse import Namespace

from alembic import command
from alembic.config import Config
from alembic.util import CommandError

ENV_PY = '''
from alembic import context
from sqlalchemy import create_engine, pool

def run():
    engine = create_engine(context.config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()

run()
'''

SCRIPT = '''"""{message}

Revision ID: {id}
Revises:{revises}
Create Date: {date}

"""
revision = {id!r}
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
'''


def write_project(root, revisions):
    versions = os.path.join(root, "versions")
    os.makedirs(versions, exist_ok=True)
    with open(os.path.join(root, "env.py"), "w") as f:
        f.write(ENV_PY)
    for rev in revisions:
        down = rev["down"]
        down_value = None if not down else (down[0] if len(down) == 1 else tuple(down))
        revises = "" if not down else " " + ", ".join(down)
        text = SCRIPT.format(
            message=rev["message"], id=rev["id"], revises=revises, date=rev["date"], down=down_value
        )
        with open(os.path.join(versions, f"{rev['id']}_{rev['slug']}.py"), "w") as f:
            f.write(text)


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines = []

    def emit(self, record):
        message = record.getMessage()
        if message.startswith("Running "):
            self.lines.append(message)


def rows(db):
    connection = sqlite3.connect(db)
    try:
        has = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has:
            return []
        return [row[0] for row in connection.execute("SELECT version_num FROM alembic_version ORDER BY rowid")]
    finally:
        connection.close()


def make_config(request, out):
    if "ini" in request:
        config = Config(request["ini"], stdout=out, cmd_opts=Namespace(x=request.get("x", [])))
    else:
        config = Config(stdout=out)
        config.set_main_option("script_location", request["dir"])
    config.set_main_option("sqlalchemy.url", "sqlite:///" + request["db"])
    return config


def run(request):
    # env.py files call logging.config.fileConfig, which would drop the capture handler.
    logging.config.fileConfig = lambda *args, **kwargs: None
    if "revisions" in request:
        write_project(request["dir"], request["revisions"])
    capture = Capture()
    logger = logging.getLogger("alembic.runtime.migration")
    logger.setLevel(logging.INFO)
    logger.addHandler(capture)
    logger.propagate = False
    warnings.simplefilter("ignore")
    answers = []
    for cmd in request["commands"]:
        out = io.StringIO()
        config = make_config(request, out)
        capture.lines = []
        before = rows(request["db"])
        error = None
        kind = None
        try:
            op = cmd["op"]
            if op == "upgrade":
                command.upgrade(config, cmd["target"])
            elif op == "downgrade":
                command.downgrade(config, cmd["target"])
            elif op == "stamp":
                command.stamp(config, cmd["target"], purge=cmd.get("purge", False))
            elif op == "history":
                command.history(
                    config,
                    cmd.get("range"),
                    verbose=cmd.get("verbose", False),
                    indicate_current=cmd.get("indicate_current", False),
                )
            elif op == "current":
                command.current(config, verbose=cmd.get("verbose", False))
            elif op == "heads":
                command.heads(config, verbose=cmd.get("verbose", False))
            else:
                raise ValueError("unknown op " + op)
        except CommandError as exc:
            error, kind = str(exc), "CommandError"
        except Exception as exc:  # Alembic's own assertions and lookups: still a refusal
            error, kind = f"{type(exc).__name__}: {exc}", type(exc).__name__
        answers.append(
            {
                "before": before,
                "after": rows(request["db"]),
                "log": list(capture.lines),
                "output": out.getvalue(),
                "error": error,
                "error_kind": kind,
            }
        )
    return answers


if __name__ == "__main__":
    print(json.dumps(run(json.load(sys.stdin))))
