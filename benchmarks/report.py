"""Turn measured figures into rows (value, reference, ratio, target, pass/fail), a rich table and JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

# Targets from the benchmarks issue (2-core machine).
MIN_ARTICLES_PER_S = 40.0
MAX_PREFECT_SHARE = 0.10
MIN_ARTICLES_FOR_SHARE = 5000
MIN_LOAD_RATIO = 0.50
MAX_PEAK_RSS_MB = 1536.0
MAX_RSS_GROWTH = 1.20
GROWTH_SLACK = 1.10  # 10k/1k wall <= 11: 10 % above linear, applied to whatever size ratio is run
NOOP_BUDGET_S = 5.0
STAGES = ("fetch", "main_text", "extract", "load", "orchestration")


@dataclass
class Row:
    measure: str
    value: float | None
    unit: str
    reference: float | None = None
    reference_label: str = ""
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None
    note: str = ""


def _fmt(v: float | None, unit: str = "") -> str:
    if v is None:
        return "-"
    if unit in ("%", "ratio"):
        return f"{v:.1%}" if unit == "%" else f"{v:.2f}"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"


def build_rows(res: dict[str, Any]) -> list[Row]:
    """All report rows from the benchmark's result dict (missing measures are skipped or marked)."""
    rows: list[Row] = []
    ext = res.get("extraction")
    if ext and "error" not in ext:
        rows.append(Row("1 extraction words/s", ext["extraction_words_per_s"], "words/s",
                        ext["tokenizer_words_per_s"], "bare spaCy tokenizer", ext["ratio"],
                        f">= {ext['target_ratio']:.0%} of tokenizer", bool(ext["meets_target"]),
                        f"{ext['words']:,} words, median of {ext['repeats']}"))
    elif ext:
        rows.append(Row("1 extraction words/s", None, "", note=f"error: {ext['error'][:80]}"))
    mt = res.get("main_text")
    if mt and "error" not in mt:
        rows.append(Row("2 main text pages/s", mt["main_text_pages_per_s"], "pages/s", mt["lxml_pages_per_s"],
                        "lxml.html parse alone", mt["ratio"], "info", None,
                        f"{mt['pages']} pages, {mt['bytes'] / mt['pages'] / 1024:.0f} KB avg, one core"))
    elif mt:
        rows.append(Row("2 main text pages/s", None, "", note=f"error: {mt['error'][:80]}"))
    start = res.get("prefect_start", {})
    start_s = start.get("wall_s")
    e2e: dict[str, dict[str, Any]] = res.get("end_to_end", {})
    sizes = sorted(int(k) for k in e2e)
    limit = mt.get("parse_tokenise_limit_per_s") if mt and "error" not in mt else None
    for label, runs in (("", e2e), (" [dask]", res.get("end_to_end_dask", {}))):
        for n in sorted(int(k) for k in runs):
            r = runs[str(n)]
            large = n == max(sizes) if sizes else False
            if r.get("returncode"):
                rows.append(Row(f"3 e2e {n:,}{label}", None, "", note=f"run failed: {r.get('stderr_tail', '')[-90:]}"))
                continue
            aps = r.get("articles_per_s")
            rows.append(Row(f"3 e2e {n:,}{label}: articles/s", aps, "articles/s", limit,
                            "main text + tokenizer limit, all cores", aps / limit if aps and limit else None,
                            f">= {MIN_ARTICLES_PER_S:.0f}/s" if large else "info",
                            aps >= MIN_ARTICLES_PER_S if large and aps is not None else None,
                            f"wall {r['wall_s']:.1f} s incl. Prefect start; loaded {r.get('run', {}).get('loaded')}"
                            f"/{n:,}" + (f", failed {r['run']['failed']}" if r.get("run", {}).get("failed") else "")
                            + (f"; news server CPU {r['server_cpu_s']:.1f} s" if "server_cpu_s" in r else "")))
            rss = r.get("peak_rss_mb")
            rows.append(Row(f"3 e2e {n:,}{label}: peak RSS", rss, "MB", target=f"<= {MAX_PEAK_RSS_MB:.0f} MB",
                            passed=rss <= MAX_PEAK_RSS_MB if rss is not None else None,
                            note=f"{r.get('peak_processes')} processes at peak"))
        ok = [n for n in sorted(int(k) for k in runs) if not runs[str(n)].get("returncode")]
        if len(ok) >= 2:
            small, big = runs[str(ok[0])], runs[str(ok[-1])]
            rss_ratio = big["peak_rss_mb"] / small["peak_rss_mb"]
            rows.append(Row(f"3 peak RSS {ok[-1]:,} vs {ok[0]:,}{label}", big["peak_rss_mb"], "MB",
                            small["peak_rss_mb"], f"{ok[0]:,}-article run", rss_ratio,
                            f"<= {MAX_RSS_GROWTH:.2f}x", rss_ratio <= MAX_RSS_GROWTH))
            growth = big["wall_s"] / small["wall_s"]
            limit_growth = GROWTH_SLACK * ok[-1] / ok[0]
            flow_growth = _flow_wall(big) / _flow_wall(small) if _flow_wall(small) else None
            rows.append(Row(f"7 growth {ok[-1]:,}/{ok[0]:,} wall{label}", growth, "ratio", target=f"<= {limit_growth:.1f}",
                            passed=growth <= limit_growth,
                            note=f"flow wall only (no process/Prefect start): {_fmt(flow_growth, 'ratio')}"))
    po = res.get("prefect_overhead")
    if po and "error" not in po:
        judged = po["articles"] >= MIN_ARTICLES_FOR_SHARE  # below, run-to-run noise exceeds the overhead
        rows.append(Row(f"4 Prefect share ({po['articles']:,} articles)", po["share"], "%", po["direct_s"],
                        "plain steps, s", po["flow_s"] / po["direct_s"] if po["direct_s"] else None,
                        f"<= {MAX_PREFECT_SHARE:.0%}" if judged else f"info (judged at >= {MIN_ARTICLES_FOR_SHARE:,})",
                        po["share"] <= MAX_PREFECT_SHARE if judged else None,
                        f"flow {po['flow_s']:.1f} s vs direct {po['direct_s']:.1f} s; in-flow orchestration "
                        f"{_fmt(po.get('orchestration_s'))} s"))
    elif po:
        rows.append(Row("4 Prefect share", None, "", note=f"error: {po['error'][-90:]}"))
    if start_s is not None:
        rows.append(Row("4 Prefect start (separate)", start_s, "s", note=(
            f"fresh process, empty flow: import prefect {start.get('import_s', 0):.1f} s, temporary server + "
            f"flow {start.get('server_and_first_flow_s', 0):.1f} s, rest = interpreter start and server stop")))
    ld = res.get("load")
    if ld and "error" not in ld:
        rows.append(Row("5 load rows/s (load_batch)", ld["project_rows_per_s"], "rows/s", ld["fast_rows_per_s"],
                        "DuckDB INSERT from Arrow", ld["ratio"], f">= {MIN_LOAD_RATIO:.0%}",
                        ld["ratio"] >= MIN_LOAD_RATIO,
                        f"{ld['rows']:,} rows in batches of {ld['batch_size']}; one batch: "
                        f"{ld['ratio_one_batch']:.0%}"))
    elif ld:
        rows.append(Row("5 load rows/s", None, "", note=f"error: {ld['error'][-90:]}"))
    for label, key in (("", "noop"), (" [dask]", "noop_dask")):
        nr = res.get(key)
        if not nr:
            continue
        if nr.get("returncode"):
            rows.append(Row(f"6 no-op re-run{label}", None, "", note=f"run failed: {nr.get('stderr_tail', '')[-90:]}"))
            continue
        ref = nr.get("prefect_start_s") or start_s  # the empty-flow process taken next to the re-run
        budget = NOOP_BUDGET_S + (ref or 0.0)
        req = nr.get("requests", {})
        rows.append(Row(f"6 no-op re-run {nr['articles']:,}{label}", nr["wall_s"], "s", ref,
                        "Prefect start", None, f"<= {NOOP_BUDGET_S:.0f} s + start = {budget:.1f} s",
                        nr["wall_s"] <= budget,
                        f"requests: {req.get('feed_304', 0)} feed 304, {req.get('feed', 0)} feed 200, "
                        f"{req.get('page', 0)} pages; loaded {nr.get('run', {}).get('loaded')}; flow wall "
                        f"{_fmt(_flow_wall(nr))} s"))
    return rows


def _flow_wall(run: dict[str, Any]) -> float | None:
    return run.get("run", {}).get("stage_seconds", {}).get("wall")


def stage_table(res: dict[str, Any]) -> Table | None:
    """Seconds by stage as recorded by the flow in runs.stage_seconds, per end-to-end run."""
    runs = [(f"{n}", r) for n, r in sorted(res.get("end_to_end", {}).items(), key=lambda kv: int(kv[0]))]
    runs += [(f"{n} [dask]", r) for n, r in sorted(res.get("end_to_end_dask", {}).items(), key=lambda kv: int(kv[0]))]
    runs = [(n, r) for n, r in runs if r.get("run", {}).get("stage_seconds")]
    if not runs:
        return None
    table = Table(title="time by stage (s; main_text and extract are CPU seconds summed over workers)")
    table.add_column("run")
    for s in (*STAGES, "flow wall", "process wall"):
        table.add_column(s, justify="right")
    for name, r in runs:
        st = r["run"]["stage_seconds"]
        table.add_row(escape(f"{int(name.split()[0]):,}{name[len(name.split()[0]):]}"),
                      *(_fmt(st.get(s)) for s in STAGES), _fmt(st.get("wall")), _fmt(r["wall_s"]))
    return table


def results_table(rows: list[Row], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    for col, justify in (("measure", "left"), ("value", "right"), ("reference", "right"), ("ratio", "right"),
                         ("target", "left"), ("", "center"), ("note", "left")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        verdict = "-" if r.passed is None else ("[green]PASS[/]" if r.passed else "[red]FAIL[/]")
        value = _fmt(r.value, r.unit) + ("" if r.unit in ("%", "ratio", "") else f" {r.unit}")
        ref = f"{_fmt(r.reference)} ({r.reference_label})" if r.reference is not None else ""
        table.add_row(escape(r.measure), value, escape(ref), _fmt(r.ratio, "%") if r.ratio is not None else "",
                      r.target, verdict, escape(r.note))
    return table


def print_report(res: dict[str, Any], console: Console | None = None) -> list[Row]:
    console = console or Console(width=200)
    rows = build_rows(res)
    meta = res.get("meta", {})
    load = meta.get("load_average_start")
    console.print(results_table(rows, f"gridscout benchmarks ({meta.get('mode', '?')}, {meta.get('cpus', '?')} CPUs, "
                                      f"git {meta.get('git', '?')}, load average at start "
                                      f"{load[0] if load else '?'})"))
    stages = stage_table(res)
    if stages is not None:
        console.print(stages)
    return rows


def rows_as_dicts(rows: list[Row]) -> list[dict[str, Any]]:
    return [asdict(r) for r in rows]


def markdown_table(rows: list[Row]) -> str:
    """The rows as a Markdown table (for the README's Performance section)."""
    lines = ["| measure | value | reference | ratio | target | result |", "|---|---:|---:|---:|---|---|"]
    for r in rows:
        value = _fmt(r.value, r.unit) + ("" if r.unit in ("%", "ratio", "") else f" {r.unit}")
        ref = f"{_fmt(r.reference)} ({r.reference_label})" if r.reference is not None else ""
        verdict = "" if r.passed is None else ("pass" if r.passed else "FAIL")
        ratio = _fmt(r.ratio, "%") if r.ratio is not None else ""
        lines.append(f"| {r.measure} | {value} | {ref} | {ratio} | {r.target} | {verdict} |")
    return "\n".join(lines)


def merge_results(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Several result files as one (later files win; end-to-end runs merge by size)."""
    merged: dict[str, Any] = {}
    for res in results:
        for key, value in res.items():
            if key == "rows":
                continue
            if key in ("end_to_end", "end_to_end_dask") and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            elif key == "meta" and "meta" in merged:
                merged["meta"] = {**merged["meta"], **value,
                                  "mode": " + ".join(dict.fromkeys([merged["meta"].get("mode", "?"),
                                                                    value.get("mode", "?")]))}
            else:
                merged[key] = value
    return merged


def main(argv: list[str] | None = None) -> int:
    """`python -m benchmarks.report FILE.json [FILE.json ...] [--markdown]`: reprint (merged) results."""
    import argparse
    import json
    from pathlib import Path

    p = argparse.ArgumentParser(prog="python -m benchmarks.report", description=main.__doc__)
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    args = p.parse_args(argv)
    try:
        res = merge_results([json.loads(f.read_text(encoding="utf-8")) for f in args.files])
    except (OSError, ValueError) as exc:
        raise SystemExit(f"cannot read results: {exc}") from exc
    console = Console(width=200)
    rows = print_report(res, console)
    if args.markdown:
        console.print(markdown_table(rows), markup=False, highlight=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
