"""The DuckDB warehouse: the only package that opens the database file.

    db.py            connect(path, read_only=..., settings=...): named migrations, lock retries
    load.py          start_run, load_batch, finish_run, record_failures, feed state (bulk, transactional)
    queries.py       run_sql (read-only, no file access), canned queries in queries/*.sql, Parquet export,
                     describe_relations, overview (what a run left)
    outputs.py       output folders/files checked up front, written via a temporary file
    keys.py          facility ids, match keys, row versions, place normalisation
    review_sheets.py xlsx/CSV review sheets: writing, reading, cell rules
    corrections.py   review export/import, orphans, stats, gold export
    schema_doc.py    schema documentation generated from the migrations
"""
