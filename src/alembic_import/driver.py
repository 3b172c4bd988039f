"""content-db import-alembic's driver: runs an Alembic project's own env.py and revision scripts
on a scratch SQLite database and reports, as JSON, the SQL they execute.

content-db writes this file to a temporary folder and runs it with the project's Python; nothing
else is installed. It reads one JSON request on stdin:
    {"ini": "<alembic.ini>", "scratch": "<empty folder>", "result": "<file to write>",
     "base_sql": "<SQL run on every new scratch file first, may be empty>"}
and writes one JSON object to "result" (stdout is left to the project's env.py and logging).

What runs, each migration step on its own (one env.py run per step, as `alembic upgrade REV`
would run it), the SQL captured with SQLAlchemy's cursor events on the Engine class:
- "walk": `upgrade heads` from an empty file one step at a time, then `downgrade base`, with a
  copy of the file (SQLite's backup API) after every step;
- "repeat": the same walk again on a new file, to find revisions whose SQL is not the same
  twice (random ids, the clock);
- "isolated": for each revision that the walk ran while a revision that is not its ancestor was
  applied, `upgrade REV` on a new file and then the revision's own downgrade, with copies.
A downgrade function that raises is reported as a step with "failed" (its message) and "heads"
(the rows Alembic would hold after it); the walk goes on from a new file upgraded to those rows,
so the downgrades below it are still captured.
The env.py is pointed at the scratch file the ways env.py files read it: the `sqlalchemy.url`
main option, `-x db=PATH` and the DATABASE_URL environment variable; an engine made for any
other URL is refused before it connects, so the project's real database is never touched.
"""
import datetime
import inspect
import json
import os
import sqlite3
import sys
import traceback
from argparse import Namespace


class Refusal(Exception):
    """A failure reported to content-db as {"kind", "message", ...}."""

    def __init__(self, kind, message, **extra):
        super().__init__(message)
        self.report = {"kind": kind, "message": message, **extra}


class DowngradeFailed(Exception):
    """A revision's downgrade function raised: the import goes on and marks it irreversible."""

    def __init__(self, report):
        super().__init__(report["message"])
        self.report = report


def main():
    request = json.load(sys.stdin)
    try:
        answer = run(request)
    except Refusal as refusal:
        answer = {"error": refusal.report}
    except BaseException as exc:  # the project's code can raise anything, even SystemExit
        answer = {"error": failure("env", None, None, exc)}
    with open(request["result"], "w", encoding="utf-8") as out:
        json.dump(answer, out)


def one_line(exc):
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


def failure(kind, revision, direction, exc):
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    last = one_line(exc)
    return {
        "kind": kind,
        "message": last,
        "revision": revision,
        "direction": direction,
        "traceback": "".join(lines)[-4000:],
    }


def run(request):
    try:
        import alembic
        import sqlalchemy
        from alembic.config import Config
        from alembic.script import ScriptDirectory
        from alembic.util import CommandError
    except ImportError as exc:
        raise Refusal("no_alembic", str(exc), python=sys.executable)
    import logging.config

    # env.py files call fileConfig(alembic.ini): keep the project's logging off stdout/stderr noise
    # but let it run (some env.py read settings from it).
    logging.disable(logging.CRITICAL)
    import warnings

    warnings.simplefilter("ignore")  # Alembic warns before it refuses; the refusal says it all
    capture = Capture(request["scratch"])
    capture.install(sqlalchemy)
    try:
        config = make_config(request["ini"], None)
        check_environment(config)
    except Refusal:
        raise
    except Exception as exc:
        raise Refusal("no_environment", one_line(exc))
    try:
        script = ScriptDirectory.from_config(config)
        refuse_missing_down_revisions(script)
        revisions = list(script.walk_revisions("base", "heads"))
    except (CommandError, Refusal) as exc:
        if isinstance(exc, Refusal):
            raise
        raise Refusal("history", str(exc))
    except Exception as exc:
        kind = "history" if "alembic" in type(exc).__module__ else "env"
        raise Refusal(kind, one_line(exc))
    described = [describe(script, rev) for rev in revisions]
    runs = []
    walk = Walk(request, script, capture, "walk", snapshots=True)
    runs.append(walk.run_whole())
    repeat = Walk(request, script, capture, "repeat", snapshots=False)
    runs.append(repeat.run_whole())
    for revision_id in walk.out_of_context:
        isolated = Walk(request, script, capture, "isolated-" + revision_id, snapshots=True)
        runs.append(isolated.run_isolated(revision_id))
    return {
        "alembic": alembic.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "revisions": described,
        "runs": runs,
    }


def refuse_missing_down_revisions(script):
    """Names a down revision no script has (Alembic only warns, then fails with a KeyError)."""
    loaded = list(script._load_revisions())
    known = {rev.revision for rev in loaded}
    for rev in loaded:
        for down in as_tuple(rev.down_revision) + as_tuple(getattr(rev, "dependencies", None)):
            if down not in known:
                raise Refusal(
                    "history",
                    "revision %s (%s) revises %s, which is not in the versions folder"
                    % (rev.revision, os.path.relpath(rev.path, script.dir), down),
                )


def check_environment(config):
    location = config.get_main_option("script_location")
    if not location:
        raise Refusal("no_environment", "it has no `script_location` in its [alembic] section")
    folder = os.path.abspath(location)
    if ":" in location and not os.path.exists(folder):
        return  # a package resource ("myapp:migrations"): Alembic finds it itself
    if not os.path.isdir(folder):
        raise Refusal("no_environment", "its script_location %s is not a folder" % folder)
    if not os.path.isfile(os.path.join(folder, "env.py")):
        raise Refusal("no_environment", "there is no env.py in %s" % folder)


def make_config(ini, db):
    from alembic.config import Config

    x = [] if db is None else ["db=" + db]
    config = Config(ini, cmd_opts=Namespace(x=x))
    if db is not None:
        config.set_main_option("sqlalchemy.url", "sqlite:///" + db.replace("%", "%%"))
    return config


def as_tuple(value):
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def describe(script, rev):
    module = rev.module
    return {
        "id": rev.revision,
        "down": list(as_tuple(rev.down_revision)),
        "depends_on": list(as_tuple(getattr(rev, "dependencies", None))),
        "branch_labels": sorted(as_tuple(getattr(rev, "branch_labels", None))),
        "longdoc": rev.longdoc or "",
        "path": os.path.relpath(rev.path, script.dir),
        "upgrade_doc": inspect.cleandoc(getattr(module.upgrade, "__doc__", None) or ""),
        "downgrade_doc": inspect.cleandoc(getattr(module.downgrade, "__doc__", None) or ""),
    }


class Capture:
    """Records what SQLAlchemy executes while a migration function runs."""

    def __init__(self, scratch):
        self.scratch = os.path.realpath(scratch)
        self.current = None

    def install(self, sqlalchemy):
        from sqlalchemy import event
        from sqlalchemy.engine import Engine
        import sqlalchemy.engine.create as create_module

        original = create_module.create_engine
        capture = self

        def guarded_create_engine(url, *args, **kwargs):
            capture.check_url(url)
            return original(url, *args, **kwargs)

        for module in (sqlalchemy, sqlalchemy.engine, create_module):
            module.create_engine = guarded_create_engine
        event.listen(Engine, "engine_connect", lambda conn, *rest: capture.check_url(conn.engine.url))
        event.listen(Engine, "after_cursor_execute", self.after_cursor_execute)
        # The scratch files are thrown away: no fsync per commit (a step costs ~10 fsyncs,
        # seconds in all on a busy disk). Set on the DBAPI connection, so it is not captured.
        from sqlalchemy.pool import Pool

        event.listen(Pool, "connect", lambda dbapi_connection, record: no_sync(dbapi_connection))

    def check_url(self, url):
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        database = parsed.database or ""
        inside = (
            parsed.get_backend_name() == "sqlite"
            and database not in ("", ":memory:")
            and os.path.dirname(os.path.realpath(database)) == self.scratch
        )
        if not inside:
            raise Refusal(
                "wrong_database",
                "env.py made an engine for %s instead of the scratch SQLite file content-db "
                "gave it" % parsed.render_as_string(hide_password=True),
                url=parsed.render_as_string(hide_password=True),
            )

    def after_cursor_execute(self, conn, cursor, statement, parameters, context, executemany):
        if self.current is None:
            return
        self.current["statements"].append(
            {
                "sql": statement,
                "params": [bound(p) for p in parameters] if executemany else bound(parameters),
                "many": bool(executemany),
                "rows": cursor.description is not None,
            }
        )


def make_base(path, base_sql):
    """A new scratch file holding what the application creates before its first revision."""
    connection = sqlite3.connect(path)
    try:
        connection.executescript(base_sql)
    except sqlite3.Error as exc:
        raise Refusal("base_schema", str(exc))
    finally:
        connection.close()


def no_sync(dbapi_connection):
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = OFF")


def bound(value):
    """A bound parameter (or a tuple / dict of them) as JSON that content-db renders as SQL."""
    if isinstance(value, dict):
        return {"named": {str(k): bound_value(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return {"positional": [bound_value(v) for v in value]}
    return {"positional": [bound_value(value)]}


def bound_value(value):
    # The dialect's bind processors already turned Date/DateTime/Boolean into str/int; what is
    # left is what the sqlite3 module binds itself (its default adapters for date/datetime).
    if value is None:
        return {"t": "null"}
    if isinstance(value, bool):
        return {"t": "int", "v": "1" if value else "0"}
    if isinstance(value, int):
        return {"t": "int", "v": str(value)}
    if isinstance(value, float):
        return {"t": "real", "v": repr(value)}
    if isinstance(value, str):
        return {"t": "text", "v": value}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"t": "blob", "v": bytes(value).hex()}
    if isinstance(value, datetime.datetime):
        return {"t": "text", "v": value.isoformat(" ")}
    if isinstance(value, datetime.date):
        return {"t": "text", "v": value.isoformat()}
    return {"t": "unknown", "v": "%s %r" % (type(value).__name__, value)}


class Walk:
    """One scratch file taken through migration steps, one env.py run per step."""

    def __init__(self, request, script, capture, name, snapshots):
        self.request = request
        self.script = script
        self.capture = capture
        self.name = name
        self.snapshots = snapshots
        self.db = os.path.join(request["scratch"], name + ".db")
        self.steps = []
        self.applied = set()
        self.out_of_context = []
        make_base(self.db, request.get("base_sql") or "")

    def report(self):
        return {"name": self.name, "steps": self.steps}

    def run_whole(self):
        from alembic.util import CommandError

        try:
            ups = self.script._upgrade_revs("heads", ())
        except CommandError as exc:
            raise Refusal("history", str(exc))
        for step in ups:
            self.note_context(step)
            self.run_step(step)
        heads = tuple(self.heads())
        try:
            downs = self.script._downgrade_revs("base", heads)
        except CommandError as exc:
            raise Refusal("history", str(exc))
        for step in downs:
            self.note_context(step)
            try:
                self.run_step(step)
            except DowngradeFailed as failed:
                self.go_on_below(step, failed.report["message"])
        return self.report()

    def go_on_below(self, step, message):
        """Records the failed downgrade of `step` and carries on from a new file at the rows
        Alembic would hold after it (the failed file may be half changed)."""
        rev = step.revision
        before = self.heads()
        others = [row for row in before if row != rev.revision]
        implied = set()
        for row in others:
            implied |= self.ancestors(row)
        after = others + [
            down for down in as_tuple(rev.down_revision) if down not in implied and down not in others
        ]
        self.steps.append(
            {"revision": rev.revision, "direction": "downgrade", "statements": [],
             "failed": message, "heads": after}
        )
        self.db = os.path.join(self.request["scratch"], "%s-below-%d.db" % (self.name, len(self.steps)))
        make_base(self.db, self.request.get("base_sql") or "")
        self.applied = set()
        for row in after:
            for up in self.script._upgrade_revs(row, tuple(self.heads())):
                self.run_step(up, keep=False)

    def run_isolated(self, revision_id):
        from alembic.runtime.migration import RevisionStep

        for step in self.script._upgrade_revs(revision_id, ()):
            self.run_step(step, keep=step.revision.revision == revision_id)
        revision = self.script.get_revision(revision_id)
        try:
            self.run_step(RevisionStep(self.script.revision_map, revision, False))
        except DowngradeFailed as failed:
            self.steps.append(
                {"revision": revision_id, "direction": "downgrade", "statements": [],
                 "failed": failed.report["message"], "heads": []}
            )
        return self.report()

    def note_context(self, step):
        """Remembers revisions run while something other than their ancestors was applied."""
        rev = step.revision
        expected = self.ancestors(rev.revision)
        if not step.is_upgrade:
            expected = expected | {rev.revision}
        if self.applied != expected and rev.revision not in self.out_of_context:
            self.out_of_context.append(rev.revision)

    def ancestors(self, revision_id):
        seen = set()
        todo = list(as_tuple(self.script.get_revision(revision_id).down_revision))
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(as_tuple(self.script.get_revision(current).down_revision))
        return seen

    def run_step(self, step, keep=True):
        from alembic.runtime.environment import EnvironmentContext

        revision_id = step.revision.revision
        direction = "upgrade" if step.is_upgrade else "downgrade"
        record = {"revision": revision_id, "direction": direction, "statements": []}
        inner = step.migration_fn
        started = []

        def captured(**kw):
            started.append(True)
            self.capture.current = record
            try:
                return inner(**kw)
            finally:
                self.capture.current = None

        step.migration_fn = captured
        config = make_config(self.request["ini"], self.db)
        # The third way env.py files find their database (twelve-factor apps).
        os.environ["DATABASE_URL"] = "sqlite:///" + self.db
        try:
            with EnvironmentContext(
                config,
                self.script,
                fn=lambda heads, context: [step],
                as_sql=False,
                destination_rev=revision_id,
            ):
                self.script.run_env()
        except Refusal:
            raise
        except BaseException as exc:
            # Before the revision's function started, it is env.py that failed.
            kind = "step" if started else "env"
            if started and not step.is_upgrade:
                raise DowngradeFailed(failure(kind, revision_id, direction, exc))
            raise Refusal(**failure(kind, revision_id, direction, exc))
        finally:
            step.migration_fn = inner
        if step.is_upgrade:
            self.applied.add(revision_id)
        else:
            self.applied.discard(revision_id)
        if not keep:
            return
        record["heads"] = self.heads()
        if self.snapshots:
            record["snapshot"] = self.snapshot(len(self.steps))
        self.steps.append(record)

    def heads(self):
        connection = sqlite3.connect(self.db)
        try:
            has = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            if not has:
                return []
            return [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
        finally:
            connection.close()

    def snapshot(self, index):
        path = os.path.join(self.request["scratch"], "%s-%03d.db" % (self.name, index))
        source = sqlite3.connect(self.db)
        target = sqlite3.connect(path)
        no_sync(target)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return path


if __name__ == "__main__":
    main()
