"""Load articles and extraction results into the warehouse: one transaction per batch, idempotent, bulk.

Rows are built column-wise into Arrow tables (one pass over the records, each key computed once) and go in
with one `INSERT ... BY NAME SELECT` per table and batch, never `executemany`.
An article whose content hash or extractor/pattern-set version changed gets its machine rows replaced;
an unchanged article only has its `last_run` bumped.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from models.errors import WarehouseError
from models.records import Article, ExtractionResult, Facility, FailureRecord, Mention, RunSummary
from warehouse.keys import RowKeys, row_keys, unique_by

log = logging.getLogger(__name__)
_TMP = itertools.count()


@dataclass(frozen=True)
class LoadStats:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    facilities: int = 0
    mentions: int = 0


@dataclass(frozen=True)
class FeedState:
    feed: str
    etag: str | None
    last_modified: str | None
    last_polled: dt.datetime | None
    last_status: str | None


def utc_naive(t: dt.datetime | None) -> dt.datetime | None:
    """Timestamps are stored as naive UTC."""
    if t is None or t.tzinfo is None:
        return t
    return t.astimezone(dt.timezone.utc).replace(tzinfo=None)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, what: str = "write") -> Iterator[None]:
    """BEGIN ... COMMIT, or ROLLBACK on any error (nothing half-written); DuckDB errors -> WarehouseError."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise WarehouseError(f"{what} failed and was rolled back: {exc}") from exc
    except BaseException:
        con.execute("ROLLBACK")
        raise


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, table: pa.Table) -> Iterator[str]:
    """Expose an Arrow table to SQL under a unique temporary name."""
    name = f"_gs_in_{next(_TMP)}"
    con.register(name, table)
    try:
        yield name
    finally:
        try:
            con.unregister(name)
        except duckdb.Error:  # an aborted transaction refuses it; keep the original error visible
            log.debug("could not unregister %s", name)


def bulk_insert(con: duckdb.DuckDBPyConnection, target: str, table: pa.Table) -> int:
    """INSERT INTO target BY NAME the rows of an Arrow table (columns matched by name); returns rows inserted."""
    if table.num_rows == 0:
        return 0
    _gs_rows = table  # noqa: F841 -- read by DuckDB's replacement scan (cheaper than register/unregister)
    con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM _gs_rows")
    return table.num_rows


# ---------------------------------------------------------------- Arrow schemas of the loaded tables

ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("url", pa.string()), ("canonical_url", pa.string()), ("title", pa.string()),
    ("published", pa.date32()), ("author", pa.string()), ("site", pa.string()), ("text", pa.string()),
    ("content_hash", pa.string()), ("fetched_at", pa.timestamp("us")), ("source", pa.string()),
    ("extractor_version", pa.string()), ("pattern_set_version", pa.string()),
    ("first_seen_run", pa.string()), ("last_run", pa.string()),
])
FACILITY_SCHEMA = pa.schema([
    ("facility_id", pa.string()), ("article_id", pa.string()), ("type", pa.string()), ("name", pa.string()),
    ("capacity_value", pa.float64()), ("capacity_unit", pa.string()), ("capacity_mw", pa.float64()),
    ("storage_mwh", pa.float64()), ("capacity_range", pa.list_(pa.float64())),
    ("capacity_qualifier", pa.string()), ("location", pa.string()), ("admin_area", pa.string()),
    ("region", pa.string()), ("region_canonical", pa.string()), ("country", pa.string()),
    ("status", pa.string()), ("organisations", pa.list_(pa.string())), ("target_year", pa.int32()),
    ("optional", pa.bool_()), ("sentence", pa.string()), ("start_char", pa.int32()), ("end_char", pa.int32()),
    ("pattern_ids", pa.list_(pa.string())), ("extractor_version", pa.string()),
    ("pattern_set_version", pa.string()), ("confidence", pa.float64()), ("match_key", pa.string()),
    ("row_version", pa.string()), ("loaded_at", pa.timestamp("us")),
])
MENTION_SCHEMA = pa.schema([
    ("mention_id", pa.string()), ("article_id", pa.string()), ("kind", pa.string()), ("text", pa.string()),
    ("canonical", pa.string()), ("label", pa.string()), ("start_char", pa.int32()), ("end_char", pa.int32()),
    ("sentence", pa.string()), ("pattern_ids", pa.list_(pa.string())), ("extractor_version", pa.string()),
])
FAILURE_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("url", pa.string()), ("feed", pa.string()), ("stage", pa.string()),
    ("reason", pa.string()), ("detail", pa.string()), ("at", pa.timestamp("us")),
])


def _table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)


def _model_columns(records: list[Any], schema: pa.Schema) -> pa.Table:
    """Arrow columns (`schema`, a subset of the records' fields) of pydantic records, read from each record's
    field dict: the values `model_dump` gives for these flat fields, without building a dict per record."""
    return pa.Table.from_struct_array(pa.array([vars(r) for r in records], type=pa.struct(schema)))


def _last_of_each(keys: list[str]) -> list[int] | None:
    """Positions of the last occurrence of each key, in `unique_by` order; None when no key repeats."""
    if len(set(keys)) == len(keys):
        return None
    return unique_by(range(len(keys)), keys.__getitem__)


def _with_columns(base: pa.Table, extra: dict[str, list[Any]], schema: pa.Schema) -> pa.Table:
    """`base` plus the `extra` Python columns, in `schema`'s column order."""
    for name, values in extra.items():
        field = schema.field(name)
        base = base.append_column(field, pa.array(values, type=field.type))
    return base.select(schema.names)


def _versions(res: ExtractionResult | None) -> tuple[str | None, str | None]:
    if res is None:
        return None, None
    ev, pv = res.extractor_version, res.pattern_set_version
    if res.facilities:
        ev = ev or res.facilities[0].extractor_version
        pv = pv or res.facilities[0].pattern_set_version
    return ev, pv


# fetched_at included: Arrow stores an aware datetime as its UTC wall time, exactly what utc_naive gives.
_ARTICLE_COLUMNS = pa.schema([f for f in ARTICLE_SCHEMA if f.name in Article.model_fields])
_FACILITY_COLUMNS = pa.schema([f for f in FACILITY_SCHEMA
                               if f.name in Facility.model_fields and not f.name.endswith("_version")])
_MENTION_COLUMNS = pa.schema([f for f in MENTION_SCHEMA if f.name in Mention.model_fields])


def article_table(articles: list[Article], results: dict[str, ExtractionResult], run_id: str) -> pa.Table:
    """Arrow rows of `articles` (ARTICLE_SCHEMA), extraction versions taken from their results."""
    versions = [_versions(results.get(a.article_id)) for a in articles]
    return _with_columns(_model_columns(articles, _ARTICLE_COLUMNS), {
        "extractor_version": [v[0] for v in versions], "pattern_set_version": [v[1] for v in versions],
        "first_seen_run": [run_id] * len(articles), "last_run": [run_id] * len(articles),
    }, ARTICLE_SCHEMA)


def _keys_for(items: list[tuple[str, ExtractionResult]], keys: Mapping[str, RowKeys] | None) -> list[RowKeys]:
    """Each article's precomputed RowKeys when they fit its result, else computed here."""
    out = []
    for article_id, res in items:
        k = keys.get(article_id) if keys else None
        out.append(k if k is not None and k.fits(article_id, res) else row_keys(article_id, res))
    return out


def facility_table(items: list[tuple[str, ExtractionResult]], loaded_at: dt.datetime,
                   keys: Mapping[str, RowKeys] | None = None) -> pa.Table:
    """Arrow rows (FACILITY_SCHEMA) of the facilities of (article_id, result) pairs, keyed and versioned.

    Ids, match keys and row versions come from `keys` (computed in the CPU stage) or are computed here.
    Within one article the last facility with a given facility_id wins (one statement never carries a key
    twice; ids include the article, so this is the last of each id in the batch). Versions missing on a
    facility come from its result.
    """
    facs: list[Facility] = []
    cols: dict[str, list[Any]] = {"facility_id": [], "article_id": [], "extractor_version": [],
                                  "pattern_set_version": [], "match_key": [], "row_version": []}
    for (article_id, res), k in zip(items, _keys_for(items, keys)):
        n = len(res.facilities)
        facs += res.facilities
        cols["facility_id"] += k.facility_ids
        cols["match_key"] += k.match_keys
        cols["row_version"] += k.row_versions
        cols["article_id"] += [article_id] * n
        cols["extractor_version"] += [fac.extractor_version or res.extractor_version for fac in res.facilities]
        cols["pattern_set_version"] += [fac.pattern_set_version or res.pattern_set_version
                                        for fac in res.facilities]
    keep = _last_of_each(cols["facility_id"])
    if keep is not None:
        facs = [facs[i] for i in keep]
        cols = {name: [values[i] for i in keep] for name, values in cols.items()}
    cols["loaded_at"] = [loaded_at] * len(facs)
    return _with_columns(_model_columns(facs, _FACILITY_COLUMNS), cols, FACILITY_SCHEMA)


def mention_table(items: list[tuple[str, ExtractionResult]], keys: Mapping[str, RowKeys] | None = None) -> pa.Table:
    """Arrow rows (MENTION_SCHEMA) of the organisation and location mentions; last of a mention_id wins."""
    mentions: list[Mention] = []
    cols: dict[str, list[Any]] = {"mention_id": [], "article_id": [], "extractor_version": []}
    for (article_id, res), k in zip(items, _keys_for(items, keys)):
        found = [*res.organisations, *res.locations]
        mentions += found
        cols["mention_id"] += k.mention_ids
        cols["article_id"] += [article_id] * len(found)
        cols["extractor_version"] += [res.extractor_version] * len(found)
    keep = _last_of_each(cols["mention_id"])
    if keep is not None:
        mentions = [mentions[i] for i in keep]
        cols = {name: [values[i] for i in keep] for name, values in cols.items()}
    return _with_columns(_model_columns(mentions, _MENTION_COLUMNS), cols, MENTION_SCHEMA)


def _existing(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, tuple[str, str | None, str | None]]:
    if not ids:
        return {}
    rows = con.execute(
        "SELECT article_id, content_hash, extractor_version, pattern_set_version FROM articles "
        "WHERE article_id IN (SELECT unnest(?))", [ids]
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def load_batch(
    con: duckdb.DuckDBPyConnection, run_id: str, articles: list[Article], results: list[ExtractionResult],
    keys: Iterable[RowKeys] | None = None,
) -> LoadStats:
    """Load one batch in ONE transaction; same content -> nothing new; changed content -> rows replaced.

    `keys`: the results' RowKeys when the CPU stage already computed them (`warehouse.keys.row_keys`, in the
    worker processes); any that are missing or do not fit their result are computed here."""
    key_map = {k.article_id: k for k in keys} if keys is not None else None
    articles = unique_by(articles, lambda a: a.article_id)
    by_id = {r.id: r for r in results}
    unknown = set(by_id) - {a.article_id for a in articles}
    if unknown:
        raise WarehouseError(f"results without an article in the batch: {sorted(unknown)[:5]}")
    loaded_at = now_utc()
    with transaction(con, f"loading a batch of {len(articles)} article(s)"):
        existing = _existing(con, [a.article_id for a in articles])
        new, changed, same = [], [], []
        for a in articles:
            old = existing.get(a.article_id)
            if old is None:
                new.append(a)
            elif a.content_hash != old[0]:
                changed.append(a)
            elif a.article_id in by_id and _versions(by_id[a.article_id]) != old[1:]:
                changed.append(a)  # same text, re-extracted by another extractor/pattern-set version
            else:
                same.append(a)
        if same:
            con.execute("UPDATE articles SET last_run = ? WHERE article_id IN (SELECT unnest(?))",
                        [run_id, [a.article_id for a in same]])
        replaced = [a.article_id for a in changed]
        if replaced:
            con.execute("DELETE FROM facilities WHERE article_id IN (SELECT unnest(?))", [replaced])
            con.execute("DELETE FROM mentions WHERE article_id IN (SELECT unnest(?))", [replaced])
            table = article_table(changed, by_id, run_id).drop_columns(["first_seen_run"])
            with registered(con, table) as name:
                sets = ", ".join(f'"{c}" = n."{c}"' for c in table.column_names if c != "article_id")
                con.execute(f"UPDATE articles SET {sets} FROM {name} n WHERE articles.article_id = n.article_id")
        bulk_insert(con, "articles", article_table(new, by_id, run_id))
        extracted = [(a.article_id, by_id[a.article_id]) for a in [*new, *changed] if a.article_id in by_id]
        n_fac = bulk_insert(con, "facilities", facility_table(extracted, loaded_at, key_map))
        n_men = bulk_insert(con, "mentions", mention_table(extracted, key_map))
    stats = LoadStats(inserted=len(new), updated=len(changed), unchanged=len(same), facilities=n_fac,
                      mentions=n_men)
    log.info("run %s: loaded batch %s", run_id, stats)
    return stats


def extraction_versions(
    con: duckdb.DuckDBPyConnection, article_ids: list[str]
) -> dict[str, tuple[str | None, str | None]]:
    """article_id -> (extractor_version, pattern_set_version) of its stored machine rows.

    A flow that skips unchanged text can compare these with the running extractor to re-extract on upgrade.
    """
    return {k: (v[1], v[2]) for k, v in _existing(con, list(article_ids)).items()}


def articles_for_reextraction(
    con: duckdb.DuckDBPyConnection, extractor_version: str, pattern_set_version: str | None = None
) -> list[Article]:
    """Stored articles whose machine rows came from another extractor or pattern-set version.

    Extract them again and pass them to `load_batch`: their machine rows are replaced and reviewer
    corrections re-attach by match key (or show up in `gridscout review orphans`).
    """
    cur = con.execute(
        "SELECT article_id, url, canonical_url, title, published, author, site, text, content_hash, fetched_at, "
        "source FROM articles WHERE extractor_version IS DISTINCT FROM $ev "
        "OR ($pv IS NOT NULL AND pattern_set_version IS DISTINCT FROM $pv) ORDER BY article_id",
        {"ev": extractor_version, "pv": pattern_set_version},
    )
    cols = [d[0] for d in cur.description]
    return [Article(**dict(zip(cols, r))) for r in cur.fetchall()]


def known_content_hashes(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> dict[str, str]:
    """article_id -> stored content_hash for the ids already in the warehouse."""
    return {k: v[0] for k, v in _existing(con, list(article_ids)).items()}


# ---------------------------------------------------------------- runs, failures, feed state

def _run_values(summary: RunSummary) -> list:
    return [
        summary.run_id, utc_naive(summary.started_at), utc_naive(summary.finished_at), summary.feeds,
        summary.entries, summary.loaded, summary.unchanged, summary.duplicate, summary.skipped, summary.failed,
        summary.facilities, summary.mentions, summary.status, json.dumps(summary.stage_seconds),
    ]


_RUN_COLS = ("run_id, started_at, finished_at, feeds, entries, loaded, unchanged, duplicate, skipped, failed, "
             "facilities, mentions, status, stage_seconds")


def _upsert_run(con: duckdb.DuckDBPyConnection, summary: RunSummary) -> None:
    updates = ", ".join(f"{c} = excluded.{c}" for c in _RUN_COLS.split(", ")[1:])
    with transaction(con, f"recording run {summary.run_id}"):
        con.execute(
            f"INSERT INTO runs ({_RUN_COLS}) VALUES ({', '.join('?' * 14)}) "
            f"ON CONFLICT (run_id) DO UPDATE SET {updates}", _run_values(summary)
        )


def start_run(con: duckdb.DuckDBPyConnection, summary: RunSummary) -> None:
    """Record a run as started (status from the summary, normally 'running')."""
    _upsert_run(con, summary)


def finish_run(con: duckdb.DuckDBPyConnection, summary: RunSummary) -> None:
    """Store a run's final counts, status and stage timings."""
    _upsert_run(con, summary)


def record_failures(con: duckdb.DuckDBPyConnection, failures: list[FailureRecord]) -> int:
    """Append failure records (bulk, one transaction); returns how many were written."""
    rows = [{**f.model_dump(), "at": utc_naive(f.at)} for f in failures]
    with transaction(con, "recording failures"):
        return bulk_insert(con, "failures", _table(rows, FAILURE_SCHEMA))


def get_feed_state(con: duckdb.DuckDBPyConnection, feed: str) -> FeedState | None:
    """The stored ETag/Last-Modified/poll status of a feed, or None if never polled."""
    rows = con.execute(
        "SELECT feed, etag, last_modified, last_polled, last_status FROM feed_state WHERE feed = ?", [feed]
    ).fetchall()
    return FeedState(*rows[0]) if rows else None


def set_feed_state(
    con: duckdb.DuckDBPyConnection, feed: str, etag: str | None, modified: str | None,
    polled_at: dt.datetime, status: str,
) -> None:
    """Upsert a feed's conditional-GET validators and last poll status."""
    with transaction(con, f"storing the state of feed {feed}"):
        con.execute(
            "INSERT INTO feed_state VALUES (?, ?, ?, ?, ?) ON CONFLICT (feed) DO UPDATE SET "
            "etag = excluded.etag, last_modified = excluded.last_modified, last_polled = excluded.last_polled, "
            "last_status = excluded.last_status",
            [feed, etag, modified, utc_naive(polled_at), status],
        )
