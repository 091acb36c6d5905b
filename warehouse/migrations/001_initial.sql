-- 001_initial: articles, machine facilities and mentions, runs, failures, feed state.

CREATE TABLE articles (
    article_id VARCHAR PRIMARY KEY,
    url VARCHAR NOT NULL,
    canonical_url VARCHAR NOT NULL,
    title VARCHAR,
    published DATE,
    author VARCHAR,
    site VARCHAR,
    text VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    fetched_at TIMESTAMP,
    source VARCHAR,
    extractor_version VARCHAR,
    pattern_set_version VARCHAR,
    first_seen_run VARCHAR,
    last_run VARCHAR
);

CREATE TABLE facilities (
    facility_id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    name VARCHAR,
    capacity_value DOUBLE,
    capacity_unit VARCHAR,
    capacity_mw DOUBLE,
    storage_mwh DOUBLE,
    capacity_range DOUBLE[],
    capacity_qualifier VARCHAR,
    location VARCHAR,
    admin_area VARCHAR,
    region VARCHAR,
    region_canonical VARCHAR,
    country VARCHAR,
    status VARCHAR NOT NULL,
    organisations VARCHAR[],
    target_year INTEGER,
    optional BOOLEAN NOT NULL DEFAULT false,
    sentence VARCHAR,
    start_char INTEGER,
    end_char INTEGER,
    pattern_ids VARCHAR[],
    extractor_version VARCHAR,
    pattern_set_version VARCHAR,
    confidence DOUBLE,
    match_key VARCHAR NOT NULL,
    row_version VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);

CREATE INDEX facilities_article ON facilities (article_id);

CREATE TABLE mentions (
    mention_id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    canonical VARCHAR,
    label VARCHAR,
    start_char INTEGER,
    end_char INTEGER,
    sentence VARCHAR,
    pattern_ids VARCHAR[],
    extractor_version VARCHAR
);

CREATE INDEX mentions_article ON mentions (article_id);

CREATE TABLE runs (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    feeds INTEGER NOT NULL DEFAULT 0,
    entries INTEGER NOT NULL DEFAULT 0,
    loaded INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    duplicate INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    facilities INTEGER NOT NULL DEFAULT 0,
    mentions INTEGER NOT NULL DEFAULT 0,
    status VARCHAR NOT NULL,
    stage_seconds JSON
);

CREATE TABLE failures (
    run_id VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    feed VARCHAR,
    stage VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    detail VARCHAR,
    "at" TIMESTAMP NOT NULL
);

CREATE TABLE feed_state (
    feed VARCHAR PRIMARY KEY,
    etag VARCHAR,
    last_modified VARCHAR,
    last_polled TIMESTAMP,
    last_status VARCHAR
);
