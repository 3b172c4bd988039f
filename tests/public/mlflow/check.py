"""By hand, never in CI: MLflow's Alembic history (MLflow 2.16.2) through real Alembic and through
content-db with the files `content-db import-alembic` wrote. See docs/IMPORT-ALEMBIC.md,
"Tried on public projects", for the commands. Run it with the Python MLflow is installed in.

    check.py base-schema OUT.sql
        writes the SQL of the tables MLflow creates itself before its first revision
        (its initial models' metadata.create_all), for --base-schema
    check.py compare PROJECT MIGRATIONS BASE.sql CONTENT_DB
        makes a database from BASE.sql (empty, then with runs, tags and metrics), takes one copy
        up to the heads and down to base with Alembic and the other with content-db
        --migrations MIGRATIONS, and compares schema (tests/contentengine/dump_schema.py) and rows
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "contentengine"))
from dump_schema import dump  # noqa: E402

ROWS = """
INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage)
  VALUES (0, 'Default', '/a', 'active');
INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status,
                  start_time, end_time, source_version, lifecycle_stage, artifact_uri, experiment_id)
  VALUES ('r1', 'one', 'LOCAL', 's', 'e', 'ana', 'FINISHED', 1, 2, 'v', 'active', '/a/r1', 0),
         ('r2', 'two', 'LOCAL', 's', 'e', NULL, 'RUNNING', 1, NULL, 'v', 'active', '/a/r2', 0),
         ('r3', 'thr', 'LOCAL', 's', 'e', 'bo''b', 'FAILED', 1, 3, 'v', 'active', '/a/r3', 0),
         ('r4', 'fou', 'LOCAL', 's', 'e', '', 'FAILED', 1, 3, 'v', 'active', '/a/r4', 0);
INSERT INTO tags (key, value, run_uuid) VALUES ('mlflow.user', 'kept', 'r3');
INSERT INTO metrics (key, value, timestamp, run_uuid)
  VALUES ('loss', 0.5, 10, 'r1'), ('loss', 0.25, 20, 'r1'), ('loss', 0.75, 15, 'r1'), ('acc', 0.9, 5, 'r2');
INSERT INTO params (key, value, run_uuid) VALUES ('lr', '0.1', 'r1');
"""


def base_schema(out):
    from sqlalchemy import create_engine
    from mlflow.store.tracking.dbmodels.initial_models import Base

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "initial.db")
        engine = create_engine("sqlite:///" + path)
        Base.metadata.create_all(engine)
        engine.dispose()
        connection = sqlite3.connect(path)
        statements = connection.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
        ).fetchall()
        connection.close()
    with open(out, "w") as f:
        f.write("".join(sql + ";\n" for (sql,) in statements))


def state(path):
    connection = sqlite3.connect(path)
    tables = [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    rows = {t: sorted(map(repr, connection.execute('SELECT * FROM "%s"' % t))) for t in tables}
    connection.close()
    return dump(path, with_sql=False), rows


def compare(project, migrations, base_sql, content_db):
    from alembic import command
    from alembic.config import Config

    def alembic(path, verb, target):
        config = Config(os.path.join(project, "alembic.ini"))
        config.set_main_option("sqlalchemy.url", "sqlite:///" + path)
        getattr(command, verb)(config, target)

    def ours(path, verb, target):
        subprocess.run([content_db, "--migrations", migrations, "--db", path, verb, target],
                       check=True, stdout=subprocess.DEVNULL)

    for populated in (False, True):
        with tempfile.TemporaryDirectory() as folder:
            theirs, mine = os.path.join(folder, "alembic.db"), os.path.join(folder, "ours.db")
            connection = sqlite3.connect(theirs)
            connection.executescript(open(base_sql).read() + (ROWS if populated else ""))
            connection.commit()
            connection.close()
            shutil.copy(theirs, mine)
            for verb, target, where in (("upgrade", "heads", "head"), ("downgrade", "base", "base")):
                alembic(theirs, verb, target)
                ours(mine, verb, target)
                a, b = state(theirs), state(mine)
                assert a[0] == b[0], "the schema differs at %s" % where
                assert a[1] == b[1], "the rows differ at %s" % where
                print("%s, %s: same schema (%d tables, alembic_version %s) and rows (%d)" % (
                    "populated" if populated else "empty", where, len(a[0]["tables"]),
                    a[0].get("alembic_version"), sum(map(len, a[1].values()))))


if __name__ == "__main__":
    if sys.argv[1:2] == ["base-schema"]:
        base_schema(sys.argv[2])
    elif sys.argv[1:2] == ["compare"]:
        compare(*sys.argv[2:6])
    else:
        sys.exit(__doc__)
