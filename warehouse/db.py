"""Open the DuckDB warehouse: named migrations for writers, read-only access for readers, lock handling.

Only `warehouse/` opens DuckDB. A process holding the file read-write blocks every other process (readers
included), so both sides retry a bounded number of times and then raise `WarehouseLockedError` naming the
file, the holder's PID and what to do.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from importlib import resources
from pathlib import Path

import duckdb

from models.errors import WarehouseError, WarehouseLockedError
from models.settings import Settings

log = logging.getLogger(__name__)

MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
_LOCK_PID = re.compile(r"\(PID (\d+)\)")


def migration_files() -> list[tuple[str, str]]:
    """(name, sql) of every migration shipped in `warehouse/migrations`, in order."""
    folder = resources.files("warehouse") / "migrations"
    found = []
    for entry in folder.iterdir():
        if MIGRATION_NAME.match(entry.name):
            found.append((entry.name.removesuffix(".sql"), entry.read_text(encoding="utf-8")))
    found.sort()
    return found


def _is_lock_error(exc: Exception) -> bool:
    return isinstance(exc, duckdb.IOException) and "Could not set lock" in str(exc)


def lock_holder_pid(message: str) -> int | None:
    """The PID DuckDB names in a `Could not set lock on file` message, if any."""
    m = _LOCK_PID.search(message)
    return int(m.group(1)) if m else None


def _locked_error(path: Path, exc: Exception, attempts: int, read_only: bool) -> WarehouseLockedError:
    pid = lock_holder_pid(str(exc))
    holder = f"process {pid}" if pid else "another process"
    verb = "read" if read_only else "write"
    return WarehouseLockedError(
        f"warehouse {path} is locked by {holder} (it holds the file read-write); could not {verb} it after "
        f"{attempts} attempt(s). Wait for that process to finish (e.g. an ingest run), or stop it "
        f"(`kill {pid}`), or query a copy: `gridscout export-parquet DIR` / cp the file."
        if pid
        else f"warehouse {path} is locked by another process; could not {verb} it after {attempts} "
        f"attempt(s). Wait for it to finish and retry."
    )


def connect(
    path: str | Path, *, read_only: bool = False, settings: Settings | None = None, files: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writer applies pending migrations, a reader needs an existing file.

    `files=False` opens it with DuckDB's external access disabled: no COPY TO, ATTACH, INSTALL/LOAD, EXPORT
    DATABASE or reading other files; it cannot be switched back on from SQL. DuckDB shares one database per
    file and process, so this fails while another connection to the same file with files=True is open.
    """
    settings = settings or Settings()
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseError(f"no warehouse at {path}; run `gridscout demo` or `gridscout run` first")
    if not read_only and path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    attempts = max(1, settings.lock_retries + 1)
    for attempt in range(1, attempts + 1):
        try:
            con = duckdb.connect(str(path), read_only=read_only,
                                 config={} if files else {"enable_external_access": False})
            break
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise WarehouseError(f"cannot open warehouse {path}: {exc}") from exc
            if attempt == attempts:
                raise _locked_error(path, exc, attempts, read_only) from exc
            log.info("warehouse %s locked (attempt %d/%d); retrying", path, attempt, attempts)
            time.sleep(settings.lock_retry_delay)
    if not read_only:
        try:
            apply_migrations(con)
        except Exception:
            con.close()
            raise
    return con


def applied_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of migrations recorded in `schema_migrations` (empty for a fresh file)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchall()[0][0]
    if not exists:
        return []
    return [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every pending migration, each in its own transaction; return the names applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
    )
    done = set(applied_migrations(con))
    applied = []
    for name, sql in migration_files():
        if name in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?)",
                [name, dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)],
            )
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise WarehouseError(f"migration {name} failed: {exc}") from exc
        log.info("applied migration %s", name)
        applied.append(name)
    return applied
