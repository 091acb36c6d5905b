"""Subprocess half of the Prefect-overhead measure: `python -m benchmarks.prefect_overhead ARGS`.

In one fresh process: (1) time an empty flow, which starts the temporary Prefect server (the one-off start,
reported separately); (2) run the same feeds through the plain pipeline (`flows.steps.run_pipeline` with its
default in-process stage runners, no Prefect) into one warehouse and (3) through the Prefect `ingest` flow
(which wires the same pipeline with Prefect tasks) into another. Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from pathlib import Path

from models.settings import Settings


def _parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.prefect_overhead")
    p.add_argument("--feed", action="append", required=True)
    p.add_argument("--db-flow", type=Path, required=True)
    p.add_argument("--db-direct", type=Path, required=True)
    p.add_argument("--rounds", type=int, default=1, help="runs of each side (alternating order); medians count")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING)
    t = time.perf_counter()
    from prefect import flow

    import extractors.main_text  # noqa: F401 - import everything before timing either side
    import extractors.pipeline  # noqa: F401
    import sources  # noqa: F401
    import warehouse.load  # noqa: F401
    from flows.ingest import run_ingest
    from flows.steps import run_pipeline
    from warehouse.queries import run_sql

    imports_s = time.perf_counter() - t

    @flow(name="bench-empty")
    def empty() -> int:
        return 1

    t = time.perf_counter()
    empty()
    prefect_start_s = time.perf_counter() - t

    out: dict[str, object] = {"imports_s": imports_s, "prefect_start_s": prefect_start_s}
    times: dict[str, list[float]] = {"direct": [], "flow": []}
    for r in range(args.rounds):
        order = ["direct", "flow"] if r % 2 == 0 else ["flow", "direct"]  # alternate to cancel warm-up effects
        for name in order:
            db = (args.db_direct if name == "direct" else args.db_flow).with_suffix(f".{r}.duckdb")
            settings = Settings.from_env(db_path=db, allow_private_hosts=True)
            t = time.perf_counter()
            summary = run_pipeline(args.feed, settings) if name == "direct" else run_ingest(args.feed, settings)
            times[name].append(time.perf_counter() - t)
            out[f"{name}_summary"] = summary.model_dump(mode="json")
            if summary.failed or getattr(summary, "failed_feeds", 0):
                out[f"{name}_failures"] = run_sql(db, "select stage, reason, detail from failures limit 3")[1]
    for name, values in times.items():
        out[f"{name}_s"] = statistics.median(values)
        out[f"{name}_times"] = values
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
