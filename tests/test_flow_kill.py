"""kill -9 during loads leaves a warehouse that opens, with no half-loaded article (issue 5).

A child process loads the demo articles one transaction per article, over and over with a new content hash
each round (so every load deletes and re-inserts the article's machine rows); the test SIGKILLs it at
several moments, reopens the warehouse and checks every stored article carries exactly its own facilities
and mentions and that no row points at a missing article.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytest.importorskip("warehouse.load", reason="warehouse.load (helper W) not landed yet")
pytest.importorskip("extractors.pipeline", reason="extractors.pipeline (helper E) not landed yet")

from warehouse.db import connect  # noqa: E402
from warehouse.queries import run_sql  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent("""
    import itertools, sys
    from pathlib import Path
    from flows import steps
    from flows.cli_ingest import demo_feed_path
    from models.settings import Settings
    from sources import open_source
    from warehouse.db import connect

    db, reference = Path(sys.argv[1]), Path(sys.argv[2])
    settings = Settings(db_path=db, workers=1)
    with open_source(settings) as src:
        feed = str(demo_feed_path())
        entries = steps.discover_entries([steps.FeedPoll(feed, src.fetch_feed(feed).entries)],
                                         steps.RunLedger(run_id="discover"))
        pages = steps.fetch_pages(src, entries).pages
    items = [i for i in steps.process_pages(pages, {}).items if i.article is not None and i.result is not None]

    def load(con, ledger, item, content_hash):
        art = item.article.model_copy(update={"content_hash": content_hash})
        batch = steps.ProcessedBatch(items=[steps.Processed(entry=item.entry, article=art, result=item.result)],
                                     seconds={})
        steps.load_processed(con, ledger, batch)

    ref = connect(reference, settings=settings)  # what a clean load stores per article
    for item in items:
        load(ref, steps.RunLedger(run_id="reference"), item, item.article.content_hash)
    ref.close()
    print("ready", flush=True)
    con = connect(db, settings=settings)
    for round_ in itertools.count():
        ledger = steps.RunLedger(run_id=f"kill-{round_}")
        for item in items:
            load(con, ledger, item, f"{item.article.content_hash}-{round_}")
        print("round", round_, flush=True)
""")


def per_article(db: Path) -> dict[str, tuple[int, int]]:
    _, facilities = run_sql(db, "select article_id, count(*) from facilities group by 1")
    _, mentions = run_sql(db, "select article_id, count(*) from mentions group by 1")
    f, m = dict(facilities), dict(mentions)
    _, articles = run_sql(db, "select article_id from articles")
    return {aid: (f.get(aid, 0), m.get(aid, 0)) for (aid,) in articles}


def check_consistent(db: Path, expected: dict[str, tuple[int, int]]) -> None:
    con = connect(db)  # opens read-write: pending migrations and WAL replay must succeed
    con.close()
    for table in ("facilities", "mentions"):
        _, orphans = run_sql(db, f"select count(*) from {table} where article_id not in "
                                 "(select article_id from articles)")
        assert orphans[0][0] == 0, f"{table} rows without their article"
    for aid, counts in per_article(db).items():
        assert counts == expected[aid], f"article {aid} is half-loaded: {counts} rows, a clean load has {expected[aid]}"


@pytest.mark.parametrize("kill_after", [0.3, 1.2])
def test_kill_9_during_load_leaves_no_half_loaded_article(tmp_path: Path, kill_after: float) -> None:
    db, reference = tmp_path / "kill.duckdb", tmp_path / "reference.duckdb"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(reference)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "ready", line
        time.sleep(kill_after)  # loads are running now
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    expected = per_article(reference)
    assert len(expected) >= 15 and any(f for f, _ in expected.values())
    if not db.exists():
        pytest.fail("the child was killed before it created the warehouse; raise kill_after")
    check_consistent(db, expected)
