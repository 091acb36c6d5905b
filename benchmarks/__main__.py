"""`python -m benchmarks [--quick] [--cluster local|ADDRESS]`: run every measure, print the table, write JSON.

Quick (< 2 minutes): 200 and 1,000 articles. Full: 1,000 and 10,000 articles (several minutes).
Results go to benchmarks/results/latest.json and benchmarks/results/<mode>.json (gitignored).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from benchmarks import measures
from benchmarks.generator import NewsGenerator
from benchmarks.report import markdown_table, print_report, rows_as_dicts
from benchmarks.server import NewsServer
from models.settings import Settings

RESULTS = Path(__file__).resolve().parent / "results"
MEASURES = ("extraction", "main_text", "load", "e2e", "noop", "overhead", "dask")


@dataclass(frozen=True)
class Plan:
    """How big each measure is in one mode."""

    mode: str
    sizes: tuple[int, ...]
    extraction_mb: float
    main_text_pages: int
    load_articles: int
    overhead_articles: int
    overhead_rounds: int
    repeats: int
    start_repeats: int
    noop_rounds: int


PLANS = {
    "quick": Plan("quick", (200, 1000), 0.5, 100, 200, 200, 1, 3, 1, 1),
    "full": Plan("full", (1000, 10000), 1.0, 300, 1000, 10000, 1, 5, 2, 2),
}


def _parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes, under two minutes")
    p.add_argument("--sizes", help="comma-separated article counts for the end-to-end runs (overrides the mode)")
    p.add_argument("--cluster", help="also run end-to-end on Dask: 'local' starts a 2-worker LocalCluster on "
                                     "127.0.0.1, anything else is a scheduler address")
    p.add_argument("--only", help=f"comma-separated subset of {','.join(MEASURES)}")
    p.add_argument("--overhead-rounds", type=int, help="rounds of each side of the Prefect-overhead measure "
                                                         "(alternating order; the median counts)")
    p.add_argument("--json", type=Path, default=RESULTS / "latest.json", help="where to write the results")
    p.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    p.add_argument("--keep", action="store_true", help="keep the temporary warehouses")
    p.add_argument("-v", "--verbose", action="store_true")
    return p.parse_args(argv)


class Bench:
    """Runs the selected measures and writes the results file after each one."""

    def __init__(self, args: argparse.Namespace, plan: Plan, console: Console) -> None:
        self.args, self.plan, self.console = args, plan, console
        self.only = set(args.only.split(",")) if args.only else set(MEASURES)
        unknown = self.only - set(MEASURES)
        if unknown:
            raise SystemExit(f"unknown measure(s) {sorted(unknown)}; choose from {','.join(MEASURES)}")
        self.gen = NewsGenerator()
        self.workdir = Path(tempfile.mkdtemp(prefix="gridscout-bench-"))
        self.env = measures.bench_env(measures.ROOT / ".prefect" / "bench")
        self.res: dict[str, Any] = {"meta": {
            "mode": plan.mode + (f"+dask({args.cluster})" if args.cluster else ""), "sizes": list(plan.sizes),
            "cpus": os.cpu_count(), "python": platform.python_version(), "git": measures.git_revision(),
            "started_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "load_average_start": os.getloadavg(),
        }}

    def save(self) -> None:
        self.args.json.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.res, indent=2, default=str)
        self.args.json.write_text(text + "\n", encoding="utf-8")
        if self.args.json.parent == RESULTS:
            (RESULTS / f"{self.res['meta']['mode'].split('(')[0].replace('+', '-')}.json").write_text(
                text + "\n", encoding="utf-8")

    def step(self, key: str, label: str, fn: Any, *a: Any, **kw: Any) -> Any:
        self.console.print(f"[bold]>[/] {escape(label)} ...", highlight=False)
        t = time.perf_counter()
        try:
            out = fn(*a, **kw)
        except Exception as exc:  # noqa: BLE001 - one broken measure must not lose the others
            logging.getLogger("benchmarks").exception("%s failed", label)
            out = {"error": f"{type(exc).__name__}: {exc}"}
        self.console.print(f"  done in {time.perf_counter() - t:.1f} s", highlight=False)
        if key:
            self.res[key] = out
            self.save()
        return out

    def run(self) -> None:
        p = self.plan
        if "extraction" in self.only:
            self.step("extraction", f"1 extraction vs tokenizer ({p.extraction_mb} MB)",
                      measures.extraction_throughput, p.extraction_mb, p.repeats)
        if "main_text" in self.only:
            self.step("main_text", f"2 main text vs lxml ({p.main_text_pages} pages)",
                      measures.main_text_throughput, self.gen, p.main_text_pages, p.repeats)
        if "load" in self.only:
            self.step("load", f"5 load_batch vs Arrow insert ({p.load_articles} articles)", measures.load_throughput,
                      self.gen, p.load_articles, self.workdir, Settings().load_batch_size, p.repeats, os.cpu_count() or 1)
        dask = bool(self.args.cluster) and "dask" in self.only
        if not (self.only & {"e2e", "noop", "overhead"} or dask):
            return
        with NewsServer(self.gen, cache_dir=self.workdir / "pages") as server:
            n_pages = max([*p.sizes, p.overhead_articles if "overhead" in self.only else 0])
            self.step("prerender", f"pre-render {n_pages:,} pages (not timed in the runs)", server.prerender, n_pages)
            self.step("prefect_start", "Prefect start (a fresh process running an empty flow)",
                      measures.prefect_start, self.env, p.start_repeats)
            if self.only & {"e2e", "noop"}:
                self._end_to_end(server, "end_to_end", "noop", None, "e2e" in self.only, "noop" in self.only)
            if "overhead" in self.only:
                self.step("prefect_overhead", f"4 flow vs plain steps ({p.overhead_articles} articles, "
                          f"{p.overhead_rounds} round(s))", measures.prefect_overhead, server, p.overhead_articles,
                          self.workdir, self.env, p.overhead_rounds)
            if dask:
                if self.args.cluster == "local":
                    with measures.LocalDask(2) as address:
                        self._end_to_end(server, "end_to_end_dask", "noop_dask", address, True, True)
                else:
                    self._end_to_end(server, "end_to_end_dask", "noop_dask", self.args.cluster, True, True)

    def _end_to_end(self, server: NewsServer, key: str, noop_key: str, cluster: str | None, all_sizes: bool,
                    noop: bool) -> None:
        tag = " [dask]" if cluster else ""
        self.res.setdefault(key, {})
        sizes = self.plan.sizes if all_sizes else self.plan.sizes[-1:]
        for n in sizes:
            db = self.workdir / f"e2e-{n}{'-dask' if cluster else ''}.duckdb"
            out = self.step("", f"3 gridscout run{tag} ({n:,} articles)", measures.end_to_end, server, n, db,
                            self.env, cluster=cluster)
            self.res[key][str(n)] = out
            self.save()
            if n == sizes[-1] and noop and not out.get("returncode"):
                self.step(noop_key, f"6 no-op re-run{tag} ({n:,} articles, {self.plan.noop_rounds} round(s))",
                          measures.noop_rerun, server, n, db, self.env, cluster=cluster,
                          rounds=self.plan.noop_rounds)

    def close(self) -> None:
        if not self.args.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)
        else:
            self.console.print(f"warehouses kept in {self.workdir}")


def main(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    plan = PLANS["quick" if args.quick else "full"]
    if args.sizes:
        try:
            sizes = tuple(sorted(int(s) for s in args.sizes.split(",")))
        except ValueError:
            raise SystemExit(f"--sizes must be comma-separated integers, got {args.sizes!r}") from None
        plan = Plan(plan.mode + "-custom", sizes, plan.extraction_mb, plan.main_text_pages, plan.load_articles,
                    min(plan.overhead_articles, sizes[-1]), plan.overhead_rounds, plan.repeats, plan.start_repeats,
                    plan.noop_rounds)
    if args.overhead_rounds is not None:
        if args.overhead_rounds < 1:
            raise SystemExit(f"--overhead-rounds must be >= 1, got {args.overhead_rounds}")
        plan = dataclasses.replace(plan, overhead_rounds=args.overhead_rounds)
    console = Console(width=200)
    bench = Bench(args, plan, console)
    started = time.perf_counter()
    try:
        bench.run()
    finally:
        bench.res["meta"]["total_s"] = time.perf_counter() - started
        bench.res["meta"]["load_average_end"] = os.getloadavg()
        rows = print_report(bench.res, console)
        bench.res["rows"] = rows_as_dicts(rows)
        bench.save()
        bench.close()
    if args.markdown:
        console.print(markdown_table(rows), markup=False, highlight=False)
    console.print(f"results written to {args.json} (total {bench.res['meta']['total_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
