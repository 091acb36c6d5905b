-- 002_review: append-only reviewer corrections, imported sheets, and the reviewed views.

CREATE TABLE corrections (
    correction_id VARCHAR PRIMARY KEY,
    reviewer VARCHAR NOT NULL,
    reviewed_at TIMESTAMP NOT NULL,
    sheet_sha256 VARCHAR NOT NULL,
    sheet_row INTEGER NOT NULL,
    facility_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    match_key VARCHAR NOT NULL,
    new_match_key VARCHAR,
    match_capacity_mw DOUBLE,
    row_version VARCHAR,
    verdict VARCHAR NOT NULL,
    old_values JSON,
    new_values JSON,
    note VARCHAR,
    forced BOOLEAN NOT NULL DEFAULT false,
    pattern_ids VARCHAR[],
    extractor_version VARCHAR
);

CREATE TABLE review_imports (
    sheet_sha256 VARCHAR PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    reviewer VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    rows_applied INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL,
    conflicts_forced INTEGER NOT NULL
);

-- Which current machine row each correction applies to: same facility_id, else the row of the same article
-- with the same match key (type + normalised place; old or corrected place), closest capacity first.
CREATE VIEW correction_targets AS
WITH c AS (SELECT * FROM corrections WHERE verdict <> 'add'),
by_id AS (
    SELECT c.correction_id, f.facility_id AS target_id, 'id' AS attached_by
    FROM c JOIN facilities f ON f.facility_id = c.facility_id
),
by_key AS (
    SELECT c.correction_id, f.facility_id AS target_id, 'match_key' AS attached_by
    FROM c JOIN facilities f ON f.match_key = c.match_key OR f.match_key = c.new_match_key
    WHERE c.correction_id NOT IN (SELECT correction_id FROM by_id)
    QUALIFY row_number() OVER (
        PARTITION BY c.correction_id
        ORDER BY (f.match_key = c.match_key) DESC,
                 (f.capacity_mw IS NOT DISTINCT FROM c.match_capacity_mw) DESC,
                 abs(coalesce(f.capacity_mw, 0) - coalesce(c.match_capacity_mw, 0)), f.start_char, f.facility_id
    ) = 1
),
t AS (SELECT * FROM by_id UNION ALL SELECT * FROM by_key)
SELECT c.*, t.target_id, coalesce(t.attached_by, 'orphaned') AS attached_by
FROM c LEFT JOIN t USING (correction_id);

CREATE VIEW latest_corrections AS
SELECT * FROM correction_targets
WHERE target_id IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY target_id ORDER BY reviewed_at DESC, sheet_row DESC, correction_id DESC) = 1;

CREATE VIEW facilities_review_state AS
WITH machine AS (
    SELECT
        f.facility_id, f.article_id,
        CASE WHEN c.verdict = 'correct' THEN c.new_values->>'$.type' ELSE f.type END AS type,
        CASE WHEN c.verdict = 'correct' THEN c.new_values->>'$.name' ELSE f.name END AS name,
        CASE WHEN c.verdict = 'correct' THEN CAST(c.new_values->>'$.capacity_value' AS DOUBLE)
             ELSE f.capacity_value END AS capacity_value,
        CASE WHEN c.verdict = 'correct' THEN c.new_values->>'$.capacity_unit' ELSE f.capacity_unit END
            AS capacity_unit,
        CASE WHEN c.verdict = 'correct' THEN CAST(c.new_values->>'$.capacity_mw' AS DOUBLE)
             ELSE f.capacity_mw END AS capacity_mw,
        f.storage_mwh, f.capacity_range, f.capacity_qualifier,
        CASE WHEN c.verdict = 'correct' THEN c.new_values->>'$.location' ELSE f.location END AS location,
        CASE WHEN c.verdict = 'correct' THEN c.new_values->>'$.admin_area' ELSE f.admin_area END AS admin_area,
        f.region, f.region_canonical,
        CASE WHEN c.verdict = 'correct' THEN c.new_values->>'$.country' ELSE f.country END AS country,
        CASE WHEN c.verdict = 'correct' THEN c.new_values->>'$.status' ELSE f.status END AS status,
        CASE WHEN c.verdict = 'correct' THEN from_json(c.new_values->'$.organisations', '["VARCHAR"]')
             ELSE f.organisations END AS organisations,
        CASE WHEN c.verdict = 'correct' THEN CAST(c.new_values->>'$.target_year' AS INTEGER)
             ELSE f.target_year END AS target_year,
        f.optional, f.sentence, f.start_char, f.end_char, f.pattern_ids, f.extractor_version, f.confidence,
        CASE c.verdict WHEN 'accept' THEN 'accepted' WHEN 'correct' THEN 'corrected' WHEN 'reject' THEN 'rejected'
             ELSE 'pending' END AS review_status,
        c.correction_id, c.reviewer, c.reviewed_at, c.note AS review_note
    FROM facilities f LEFT JOIN latest_corrections c ON c.target_id = f.facility_id
),
added AS (
    SELECT
        c.facility_id, c.article_id, c.new_values->>'$.type' AS type, c.new_values->>'$.name' AS name,
        CAST(c.new_values->>'$.capacity_value' AS DOUBLE) AS capacity_value,
        c.new_values->>'$.capacity_unit' AS capacity_unit,
        CAST(c.new_values->>'$.capacity_mw' AS DOUBLE) AS capacity_mw,
        CAST(NULL AS DOUBLE) AS storage_mwh, CAST(NULL AS DOUBLE[]) AS capacity_range,
        CAST(NULL AS VARCHAR) AS capacity_qualifier,
        c.new_values->>'$.location' AS location, c.new_values->>'$.admin_area' AS admin_area,
        CAST(NULL AS VARCHAR) AS region, CAST(NULL AS VARCHAR) AS region_canonical,
        c.new_values->>'$.country' AS country, c.new_values->>'$.status' AS status,
        from_json(c.new_values->'$.organisations', '["VARCHAR"]') AS organisations,
        CAST(c.new_values->>'$.target_year' AS INTEGER) AS target_year,
        false AS optional, CAST(NULL AS VARCHAR) AS sentence, CAST(NULL AS INTEGER) AS start_char,
        CAST(NULL AS INTEGER) AS end_char, CAST([] AS VARCHAR[]) AS pattern_ids,
        CAST(NULL AS VARCHAR) AS extractor_version, CAST(NULL AS DOUBLE) AS confidence,
        'added' AS review_status, c.correction_id, c.reviewer, c.reviewed_at, c.note AS review_note
    FROM corrections c
    WHERE c.verdict = 'add' AND c.article_id IN (SELECT article_id FROM articles)
    QUALIFY row_number() OVER (PARTITION BY c.facility_id ORDER BY c.reviewed_at DESC, c.correction_id DESC) = 1
)
SELECT * FROM machine
UNION ALL BY NAME
SELECT * FROM added;

CREATE VIEW facilities_reviewed AS
SELECT * FROM facilities_review_state WHERE review_status <> 'rejected';

CREATE VIEW facilities_summary AS
SELECT
    coalesce(country, '(unknown)') AS country,
    coalesce(region_canonical, region, admin_area, '(unknown)') AS region,
    type, status,
    count(*) AS facilities,
    count(*) FILTER (WHERE review_status <> 'pending') AS reviewed,
    round(sum(capacity_mw), 3) AS total_mw
FROM facilities_reviewed
GROUP BY ALL;

CREATE VIEW orphaned_corrections AS
SELECT correction_id, reviewer, reviewed_at, verdict, facility_id, article_id, match_key, old_values, new_values, note
FROM correction_targets
WHERE target_id IS NULL;
