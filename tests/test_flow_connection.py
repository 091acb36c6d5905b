"""The run's write connection is released between batches so read-only analysts' queries get in."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import steps
from models import Settings, WarehouseError
from warehouse.queries import run_sql

DEMO_FEED = Path(steps.__file__).resolve().parent / "demo_data" / "feed.xml"


def test_readers_get_in_while_a_run_holds_the_ingest_lock(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    settings = Settings(db_path=db, batch_size=4, load_batch_size=4, workers=1, lock_retries=0)
    seen: list[int] = []

    def progress(stage: str, done: int, total: int) -> None:
        # called from the run between batches: a read-only query from "another analyst" must succeed
        seen.append(run_sql(db, "select count(*) from articles")[1][0][0])

    summary = steps.run_pipeline([str(DEMO_FEED)], settings, steps.StageRunners(progress=progress))
    assert summary.status == "completed" and summary.loaded > 0
    assert len(seen) > 2 and seen == sorted(seen) and seen[-1] == summary.loaded


@pytest.mark.parametrize("bad", ["a-file/x.duckdb"])
def test_a_db_path_under_a_file_is_a_clear_error(tmp_path: Path, bad: str) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(WarehouseError, match="cannot use .* as the warehouse"):
        steps.run_pipeline([str(DEMO_FEED)], Settings(db_path=tmp_path / bad))
