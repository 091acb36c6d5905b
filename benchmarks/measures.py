"""The benchmark measures: each returns plain figures (dicts) that `benchmarks.report` turns into rows.

1. extraction words/s vs spaCy's bare tokenizer (benchmarks.extraction_throughput, owned by the extraction side);
2. main-text pages/s vs lxml parsing the same pages;
3. end-to-end `gridscout run` from the local server: wall, articles/s, peak RSS, time by stage;
4. Prefect overhead: the flow vs the plain step functions on the same feeds;
5. warehouse load rows/s (warehouse.load.load_batch) vs DuckDB's bulk INSERT from Arrow of the same rows;
6. a no-op re-run on the warehouse of measure 3;
7. growth (large wall / small wall) is derived in the report.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from benchmarks.generator import NewsGenerator, iter_pages
from benchmarks.probe import ProcessRun, run_measured
from benchmarks.server import NewsServer

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
PREFECT_ENV = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def bench_env(prefect_home: Path) -> dict[str, str]:
    """Environment for measured subprocesses: offline Prefect with its own home, project on the path."""
    prefect_home.mkdir(parents=True, exist_ok=True)  # the temporary server fails to start without it
    env = dict(os.environ)
    env.update(PREFECT_ENV)
    env["PREFECT_HOME"] = str(prefect_home)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.pop("PREFECT_API_URL", None)
    return env


def _median_time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


# --------------------------------------------------------------------------------- 1. extraction words/s
def extraction_throughput(size_mb: float, repeats: int) -> dict[str, Any]:
    """Measure 1 through the extraction side's own module (benchmarks.extraction_throughput.run)."""
    from benchmarks.extraction_throughput import run

    return run(size_mb=size_mb, repeats=repeats)


# ---------------------------------------------------------------------------------- 2. main text pages/s
def main_text_throughput(gen: NewsGenerator, n_pages: int, repeats: int) -> dict[str, Any]:
    """extract_main_text pages/s vs lxml.html parsing alone, on the same generated pages (one core)."""
    import lxml.html
    import spacy

    from extractors.main_text import extract_main_text
    from models.errors import ExtractionError

    pages = list(iter_pages(gen, n_pages))
    texts: list[str] = []
    failures = 0

    def lxml_all() -> None:
        for _, body in pages:
            lxml.html.fromstring(body)

    def main_text_all() -> None:
        nonlocal failures
        texts.clear()
        failures = 0
        for url, body in pages:
            try:
                texts.append(extract_main_text(body, url).text)
            except ExtractionError:
                failures += 1

    main_text_all()  # warm imports and caches
    lxml_s = _median_time(lxml_all, repeats)
    main_s = _median_time(main_text_all, repeats)
    tokenizer = spacy.blank("en").tokenizer

    def tokenize_all() -> None:
        for t in texts:
            tokenizer(t)

    tok_s = _median_time(tokenize_all, repeats)
    cpus = os.cpu_count() or 1
    return {
        "pages": n_pages,
        "bytes": sum(len(b) for _, b in pages),
        "failures": failures,
        "main_text_s": main_s,
        "lxml_s": lxml_s,
        "tokenize_s": tok_s,
        "main_text_pages_per_s": n_pages / main_s,
        "lxml_pages_per_s": n_pages / lxml_s,
        "ratio": lxml_s / main_s,
        # main text + tokenise per page on every core: the ceiling the end-to-end run is compared with
        "parse_tokenise_limit_per_s": cpus * n_pages / (main_s + tok_s),
        "lxml_tokenise_limit_per_s": cpus * n_pages / (lxml_s + tok_s),
    }


# --------------------------------------------------------------------------------- 3. end-to-end run
def gridscout_cmd() -> list[str]:
    script = shutil.which("gridscout", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "flows.cli"]


def last_run(db: Path) -> dict[str, Any]:
    """The latest row of `runs` in the warehouse (stage_seconds decoded)."""
    from warehouse.queries import run_sql

    cols, rows = run_sql(db, "select * from runs order by started_at desc limit 1")
    if not rows:
        return {}
    row = dict(zip(cols, rows[0]))
    stages = row.get("stage_seconds")
    if isinstance(stages, str):
        row["stage_seconds"] = json.loads(stages)
    return {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in row.items()}


def table_counts(db: Path, tables: tuple[str, ...] = ("articles", "facilities", "mentions", "failures")
                 ) -> dict[str, int]:
    from warehouse.queries import run_sql

    return {t: int(run_sql(db, f"select count(*) from {t}")[1][0][0]) for t in tables}


def end_to_end(server: NewsServer, n_articles: int, db: Path, env: dict[str, str], *,
               cluster: str | None = None, extra_args: tuple[str, ...] = ()) -> dict[str, Any]:
    """`gridscout run` on n articles from the local server into `db`, as a measured subprocess."""
    feeds = server.feed_urls(n_articles)
    cmd = [*gridscout_cmd(), "run", "--db", str(db), "--allow-private-hosts", "--no-progress", *extra_args]
    for f in feeds:
        cmd += ["--feed", f]
    if cluster:
        cmd += ["--cluster", cluster]
    before = server.counts()
    cpu0 = sum(psutil.Process().cpu_times()[:2])
    proc = run_measured(cmd, env=env, cwd=str(ROOT))
    after = server.counts()
    out = _process_figures(proc)
    out["server_cpu_s"] = sum(psutil.Process().cpu_times()[:2]) - cpu0  # the news server's share of the CPUs
    out.update({"articles": n_articles, "feeds": len(feeds),
                "requests": {k: after.get(k, 0) - before.get(k, 0) for k in after}})
    if proc.returncode != 0:
        log.error("gridscout run exited %d: %s", proc.returncode, proc.stderr[-2000:])
        return out
    out["run"] = last_run(db)
    out["counts"] = table_counts(db)
    if out["run"].get("failed"):
        from warehouse.queries import run_sql

        out["failures"] = run_sql(db, "select stage, reason, detail from failures where run_id = ? limit 3",
                                  [out["run"]["run_id"]])[1]
    loaded = out["run"].get("loaded", 0)
    out["articles_per_s"] = loaded / proc.wall_s if proc.wall_s else None
    return out


def _process_figures(proc: ProcessRun) -> dict[str, Any]:
    return {"wall_s": proc.wall_s, "returncode": proc.returncode, "peak_rss_mb": proc.peak_rss_mb,
            "peak_processes": proc.peak_processes,
            "stderr_tail": proc.stderr[-1500:] if proc.returncode else ""}


# ------------------------------------------------------------------------------------ prefect start alone
def prefect_start(env: dict[str, str], repeats: int = 1) -> dict[str, Any]:
    """A fresh process running an empty flow: Python + Prefect import, temporary server start and stop, one flow.

    The process wall is the reference for the no-op re-run (which pays the same start and stop)."""
    code = ("import time; t=time.perf_counter(); from prefect import flow\n"
            "@flow(name='bench-empty')\ndef empty():\n    return 1\n"
            "i=time.perf_counter(); empty(); e=time.perf_counter(); print(i-t, e-i)")
    walls, imports, flows = [], [], []
    for _ in range(repeats):
        proc = run_measured([sys.executable, "-c", code], env=env, cwd=str(ROOT))
        if proc.returncode != 0:
            return {"error": proc.stderr[-1500:]}
        imp, fl = (float(x) for x in proc.stdout.split()[-2:])
        walls.append(proc.wall_s)
        imports.append(imp)
        flows.append(fl)
    return {"wall_s": statistics.median(walls), "import_s": statistics.median(imports),
            "server_and_first_flow_s": statistics.median(flows), "peak_rss_mb": proc.peak_rss_mb}


# --------------------------------------------------------------------------------------- 6. no-op re-run
def noop_rerun(server: NewsServer, n_articles: int, db: Path, env: dict[str, str], *, cluster: str | None = None,
               rounds: int = 1) -> dict[str, Any]:
    """Re-run `gridscout run` on an up-to-date warehouse, each time right after an empty-flow process.

    The empty flow (same interpreter, Prefect import, temporary server start and stop) taken next to each
    re-run is its reference, so machine load that varies during a long benchmark hits both alike.
    """
    walls, starts = [], []
    out: dict[str, Any] = {}
    for _ in range(rounds):
        start = prefect_start(env, 1)
        out = end_to_end(server, n_articles, db, env, cluster=cluster)
        if "wall_s" in start:
            starts.append(start["wall_s"])
        if out.get("returncode"):
            return out
        walls.append(out["wall_s"])
    out.update({"wall_s": statistics.median(walls), "walls": walls, "rounds": rounds,
                "prefect_start_s": statistics.median(starts) if starts else None, "prefect_starts": starts})
    return out


# ---------------------------------------------------------------------------------- 4. prefect overhead
def prefect_overhead(server: NewsServer, n_articles: int, workdir: Path, env: dict[str, str],
                     rounds: int = 1) -> dict[str, Any]:
    """Flow vs plain step functions on the same feeds, in one subprocess (benchmarks.prefect_overhead)."""
    feeds = server.feed_urls(n_articles)
    cmd = [sys.executable, "-m", "benchmarks.prefect_overhead", "--db-flow", str(workdir / "overhead-flow.duckdb"),
           "--db-direct", str(workdir / "overhead-direct.duckdb"), "--rounds", str(rounds)]
    for f in feeds:
        cmd += ["--feed", f]
    proc = run_measured(cmd, env=env, cwd=str(ROOT))
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:], "articles": n_articles}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["articles"] = n_articles
    out["rounds"] = rounds
    loaded = {side: out[f"{side}_summary"].get("loaded") for side in ("direct", "flow")}
    if any(v != n_articles for v in loaded.values()):
        out["error"] = (f"incomplete runs (loaded {loaded} of {n_articles}): "
                        f"{out.get('direct_failures') or out.get('flow_failures')}")
    flow_s, direct_s = out["flow_s"], out["direct_s"]
    out["overhead_s"] = flow_s - direct_s
    out["share"] = (flow_s - direct_s) / flow_s if flow_s else None
    out["orchestration_s"] = out["flow_summary"].get("stage_seconds", {}).get("orchestration")
    return out


# --------------------------------------------------------------------------------------- 5. load rows/s
def _processed_rows(gen: NewsGenerator, n: int, workers: int) -> tuple[list[Any], list[Any], list[Any]]:
    from flows import steps
    from models.records import FeedEntry, Page

    now = dt.datetime.now(dt.timezone.utc)
    pages = [Page(entry=FeedEntry(feed="bench://load", url=url), final_url=url, body=body,
                  content_type="text/html; charset=utf-8", fetched_at=now)
             for url, body in iter_pages(gen, n, base_url="http://bench.invalid")]
    pool = steps.make_cpu_pool(workers) if workers > 1 else None
    try:
        batch = steps.process_pages_parallel(pages, {}, pool, workers)
    finally:
        if pool is not None:
            pool.shutdown()
    done = [i for i in batch.items if i.article is not None and i.result is not None]
    return [i.article for i in done], [i.result for i in done], [i.keys for i in done]


def _user_tables(con: Any) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'main' "
        "and table_type = 'BASE TABLE' order by 1").fetchall()]


def _counts(con: Any, tables: list[str]) -> dict[str, int]:
    return {t: int(con.execute(f'select count(*) from "{t}"').fetchone()[0]) for t in tables}


def load_throughput(gen: NewsGenerator, n_articles: int, workdir: Path, batch_size: int, repeats: int,
                    workers: int) -> dict[str, Any]:
    """load_batch (in the flow's batches, and as one batch) vs INSERT ... SELECT from Arrow of the same rows.

    The rows come from generated pages run through the real main-text and extraction stage, which also hashes
    each result's row ids and versions (`warehouse.keys.row_keys`, in the worker processes) and hands them to
    the load, as in the flow. The fast path inserts exactly the rows load_batch wrote (read back as Arrow) into
    a freshly migrated warehouse.
    """
    from flows.steps import batched, new_summary
    from warehouse.db import connect
    from warehouse.load import load_batch, start_run

    articles, results, keys = _processed_rows(gen, n_articles, workers)

    def project_load(db: Path, size: int) -> tuple[float, dict[str, int]]:
        con = connect(db)
        try:
            tables = _user_tables(con)
            before = _counts(con, tables)
            summary = new_summary(["bench://load"], run_id=f"load-{db.stem}")
            start_run(con, summary)
            t = time.perf_counter()
            for idx in batched(list(range(len(articles))), size):
                load_batch(con, summary.run_id, [articles[i] for i in idx], [results[i] for i in idx],
                           [keys[i] for i in idx if keys[i] is not None])
            seconds = time.perf_counter() - t
            after = _counts(con, tables)
        finally:
            con.close()
        written = {k: after[k] - before[k] for k in tables if k != "runs" and after[k] > before[k]}
        return seconds, written

    batched_times, one_times, fast_times = [], [], []
    written: dict[str, int] = {}
    for rep in range(repeats):
        s, written = project_load(workdir / f"load-batched-{rep}.duckdb", batch_size)
        batched_times.append(s)
        s, _ = project_load(workdir / f"load-one-{rep}.duckdb", max(1, len(articles)))
        one_times.append(s)

    src = connect(workdir / "load-batched-0.duckdb", read_only=True)
    try:
        arrow = {t: src.sql(f'select * from "{t}"').to_arrow_table() for t in written}
    finally:
        src.close()
    for rep in range(repeats):
        con = connect(workdir / f"load-fast-{rep}.duckdb")
        try:
            t = time.perf_counter()
            con.execute("begin transaction")
            for name, table in arrow.items():
                con.register("bench_rows", table)
                con.execute(f'insert into "{name}" select * from bench_rows')
                con.unregister("bench_rows")
            con.execute("commit")
            fast_times.append(time.perf_counter() - t)
        finally:
            con.close()
    rows = sum(written.values())
    batched_s, one_s, fast_s = (statistics.median(x) for x in (batched_times, one_times, fast_times))
    return {
        "articles": len(articles), "rows": rows, "rows_by_table": written, "batch_size": batch_size,
        "project_s": batched_s, "project_one_batch_s": one_s, "fast_s": fast_s,
        "project_rows_per_s": rows / batched_s, "project_one_batch_rows_per_s": rows / one_s,
        "fast_rows_per_s": rows / fast_s, "ratio": fast_s / batched_s, "ratio_one_batch": fast_s / one_s,
    }


# ------------------------------------------------------------------------------------- dask local cluster
class LocalDask:
    """A distributed.LocalCluster of worker processes on 127.0.0.1 (for `--cluster local`)."""

    def __init__(self, n_workers: int = 2) -> None:
        self.n_workers = n_workers
        self.cluster: Any = None

    def __enter__(self) -> str:
        from distributed import LocalCluster

        for key, value in PREFECT_ENV.items():  # workers inherit this process's environment
            os.environ.setdefault(key, value)
        self.cluster = LocalCluster(n_workers=self.n_workers, threads_per_worker=1, processes=True,
                                    host="127.0.0.1", dashboard_address=None)
        return str(self.cluster.scheduler_address)

    def __exit__(self, *exc: object) -> None:
        if self.cluster is not None:
            self.cluster.close()


def git_revision() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        return "unknown"
