"""Bad command-line input ends in a clear message and a non-zero exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["serve", "--cron", "not a cron", "--feed", "x.xml"], 2, "--cron"),
        (["serve", "--cron", "61 * * * *", "--feed", "x.xml"], 2, "invalid cron"),
        (["sql", "select 1", "--db", "{tmp}/missing.duckdb"], None, "no warehouse at"),
        (["extract", "{tmp}/missing.txt"], 1, "missing.txt"),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path: Path, args: list[str], code: int | None, says: str) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "feed.xml").write_text("<rss version='2.0'><channel><title>t</title></channel></rss>")
    result = CliRunner().invoke(app, [a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code != 0 if code is None else result.exit_code == code
    assert says in " ".join(result.output.split())
