"""The benchmark report judges each measure against its own target (figures here are made up, not timed)."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.report import build_rows, markdown_table


def _e2e(wall: float, loaded: int, rss: float) -> dict[str, Any]:
    return {"wall_s": wall, "returncode": 0, "peak_rss_mb": rss, "peak_processes": 4,
            "articles_per_s": loaded / wall, "run": {"loaded": loaded, "stage_seconds": {"wall": wall - 10}}}


def _result(big_wall: float, big_rss: float, share: float, load_ratio: float, noop_wall: float) -> dict[str, Any]:
    return {
        "prefect_start": {"wall_s": 15.0},
        "end_to_end": {"1000": _e2e(30.0, 1000, 900.0), "10000": _e2e(big_wall, 10000, big_rss)},
        "prefect_overhead": {"articles": 10000, "share": share, "flow_s": 100.0, "direct_s": 100.0 * (1 - share)},
        "load": {"project_rows_per_s": 1000 * load_ratio, "fast_rows_per_s": 1000.0, "ratio": load_ratio,
                 "rows": 5000, "batch_size": 200, "ratio_one_batch": load_ratio},
        "noop": {"articles": 10000, "wall_s": noop_wall, "returncode": 0, "requests": {"feed_304": 40}},
    }


def _verdicts(res: dict[str, Any]) -> dict[str, bool | None]:
    return {r.measure.split(" (")[0]: r.passed for r in build_rows(res)}


@pytest.mark.parametrize("kwargs,measure,expected", [
    ({"big_wall": 200.0}, "3 e2e 10,000: articles/s", True),      # 50/s
    ({"big_wall": 300.0}, "3 e2e 10,000: articles/s", False),     # 33/s
    ({"big_wall": 300.0}, "7 growth 10,000/1,000 wall", True),    # 10.0 <= 11
    ({"big_wall": 340.0}, "7 growth 10,000/1,000 wall", False),   # 11.3
    ({"big_rss": 1000.0}, "3 peak RSS 10,000 vs 1,000", True),     # 1.11x
    ({"big_rss": 1200.0}, "3 peak RSS 10,000 vs 1,000", False),    # 1.33x
    ({"big_rss": 1600.0}, "3 e2e 10,000: peak RSS", False),
    ({"share": 0.08}, "4 Prefect share", True),
    ({"share": 0.12}, "4 Prefect share", False),
    ({"load_ratio": 0.6}, "5 load rows/s", True),
    ({"load_ratio": 0.4}, "5 load rows/s", False),
    ({"noop_wall": 19.0}, "6 no-op re-run 10,000", True),          # <= 5 + 15
    ({"noop_wall": 21.0}, "6 no-op re-run 10,000", False),
])
def test_each_measure_is_judged_against_its_target(kwargs: dict[str, float], measure: str, expected: bool) -> None:
    base = {"big_wall": 200.0, "big_rss": 1000.0, "share": 0.05, "load_ratio": 0.8, "noop_wall": 10.0}
    verdicts = _verdicts(_result(**{**base, **kwargs}))
    assert verdicts[measure] is expected


def test_failed_run_and_missing_measures_are_reported_not_judged() -> None:
    res = {"end_to_end": {"1000": {"returncode": 1, "stderr_tail": "boom", "wall_s": 3.0}},
           "load": {"error": "WarehouseError: nope"}}
    rows = build_rows(res)
    assert [r.passed for r in rows] == [None, None]
    assert "boom" in rows[0].note and "nope" in rows[1].note
    assert markdown_table(rows).count("\n") == 3


def test_prefect_share_of_a_small_run_is_information_only() -> None:
    res = _result(200.0, 1000.0, 0.3, 0.8, 10.0)
    res["prefect_overhead"]["articles"] = 200
    assert _verdicts(res)["4 Prefect share"] is None


def test_noop_is_judged_against_the_start_taken_next_to_it() -> None:
    res = _result(200.0, 1000.0, 0.05, 0.8, 21.0)
    assert _verdicts(res)["6 no-op re-run 10,000"] is False  # 21 > 5 + 15
    res["noop"]["prefect_start_s"] = 17.0
    assert _verdicts(res)["6 no-op re-run 10,000"] is True  # 21 <= 5 + 17
