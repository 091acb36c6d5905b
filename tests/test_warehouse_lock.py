"""Lock behaviour across processes: bounded retries, a clear message naming the holder, nothing corrupted."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from models.errors import WarehouseLockedError
from models.settings import Settings
from warehouse.db import connect, lock_holder_pid

ROOT = Path(__file__).resolve().parent.parent
# `gridscout` with only this group registered, so the test does not depend on the other command groups
GRIDSCOUT = [sys.executable, "-c", "import typer; from flows import cli_warehouse; app = typer.Typer(); "
             "cli_warehouse.register(app); app()"]

HOLD = textwrap.dedent("""
    import sys, time
    from warehouse.db import connect
    con = connect(sys.argv[1])
    print("ready", flush=True)
    time.sleep(float(sys.argv[2]))
    con.close()
""")

LOADER = textwrap.dedent("""
    import sys, time
    from tests.warehouse_records import batch
    from warehouse.db import connect
    from warehouse.load import load_batch
    con = connect(sys.argv[1])
    print("ready", flush=True)
    for i in range(int(sys.argv[2])):
        load_batch(con, f"r{i}", *batch(range(i * 50, i * 50 + 50)))
        time.sleep(0.05)
    con.close()
""")


def _spawn(script: str, *args: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", script, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    return proc


@pytest.mark.parametrize("message,pid", [
    ('IO Error: Could not set lock on file "/x.duckdb": Conflicting lock is held in /usr/bin/python3 (PID 4242). '
     "See also https://duckdb.org/docs/current/connect/concurrency", 4242),
    ('IO Error: Could not set lock on file "/x.duckdb": Resource temporarily unavailable', None),
])
def test_lock_holder_pid(message, pid):
    assert lock_holder_pid(message) == pid


@pytest.mark.parametrize("read_only", [False, True])
def test_locked_file_gives_clear_error_after_bounded_retries(tmp_path, read_only):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    holder = _spawn(HOLD, str(path), "30")
    try:
        t0 = time.monotonic()
        with pytest.raises(WarehouseLockedError) as info:
            connect(path, read_only=read_only, settings=Settings(lock_retries=2, lock_retry_delay=0.1))
        waited = time.monotonic() - t0
    finally:
        holder.kill()
        holder.wait()
    msg = str(info.value)
    assert str(path) in msg and f"process {holder.pid}" in msg and "Wait for that process" in msg
    assert 0.15 <= waited < 5


def test_writer_waits_for_a_short_lock_then_succeeds(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    holder = _spawn(HOLD, str(path), "0.5")
    try:
        con = connect(path, settings=Settings(lock_retries=30, lock_retry_delay=0.1))
        con.close()
    finally:
        holder.wait()


def test_loader_and_sql_reader_in_two_processes(tmp_path):
    """One process loads batches while another runs `gridscout sql`: each finishes or fails clearly."""
    path = tmp_path / "w.duckdb"
    connect(path).close()
    loader = _spawn(LOADER, str(path), "6")
    reader = subprocess.run([*GRIDSCOUT, "sql", "select count(*) AS n from articles", "--db", str(path),
                             "--format", "csv"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    loader_err = loader.stderr.read()
    assert loader.wait(timeout=120) == 0, loader_err
    assert reader.returncode in (0, 1), reader.stderr
    if reader.returncode == 0:
        assert reader.stdout.splitlines()[0] == "n" and 0 <= int(reader.stdout.splitlines()[1]) <= 300
    else:
        assert f"locked by process {loader.pid}" in reader.stderr and "Wait for that process" in reader.stderr
    con = connect(path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 300
        assert con.execute("SELECT count(*) FROM facilities").fetchall()[0][0] == 1200
    finally:
        con.close()


def test_sql_command_names_the_writer_holding_the_file(tmp_path, monkeypatch):
    import typer
    from typer.testing import CliRunner

    from flows import cli_warehouse

    path = tmp_path / "w.duckdb"
    connect(path).close()
    monkeypatch.setattr(cli_warehouse, "_settings",
                        lambda db: Settings(db_path=db, lock_retries=1, lock_retry_delay=0.05))
    app = typer.Typer()
    cli_warehouse.register(app)
    holder = _spawn(HOLD, str(path), "30")
    try:
        res = CliRunner().invoke(app, ["sql", "select 1", "--db", str(path)])
    finally:
        holder.kill()
        holder.wait()
    assert res.exit_code == 1
    assert f"is locked by process {holder.pid}" in res.output and "Wait for that process" in res.output
