-- 003_review_overlay: an accepted row keeps the values the reviewer accepted (like a corrected row keeps the
-- corrected ones), also after re-extraction changed the machine values; `review_stale` flags reviewed rows
-- whose machine values changed since the review (they are exported again as pending).

CREATE OR REPLACE VIEW facilities_review_state AS
WITH machine AS (
    SELECT
        f.facility_id, f.article_id,
        CASE WHEN c.verdict IN ('accept', 'correct') THEN c.new_values->>'$.type' ELSE f.type END AS type,
        CASE WHEN c.verdict IN ('accept', 'correct') THEN c.new_values->>'$.name' ELSE f.name END AS name,
        CASE WHEN c.verdict IN ('accept', 'correct') THEN CAST(c.new_values->>'$.capacity_value' AS DOUBLE)
             ELSE f.capacity_value END AS capacity_value,
        CASE WHEN c.verdict IN ('accept', 'correct') THEN c.new_values->>'$.capacity_unit' ELSE f.capacity_unit END
            AS capacity_unit,
        CASE WHEN c.verdict IN ('accept', 'correct') THEN CAST(c.new_values->>'$.capacity_mw' AS DOUBLE)
             ELSE f.capacity_mw END AS capacity_mw,
        f.storage_mwh, f.capacity_range, f.capacity_qualifier,
        CASE WHEN c.verdict IN ('accept', 'correct') THEN c.new_values->>'$.location' ELSE f.location END AS location,
        CASE WHEN c.verdict IN ('accept', 'correct') THEN c.new_values->>'$.admin_area' ELSE f.admin_area END AS admin_area,
        f.region, f.region_canonical,
        CASE WHEN c.verdict IN ('accept', 'correct') THEN c.new_values->>'$.country' ELSE f.country END AS country,
        CASE WHEN c.verdict IN ('accept', 'correct') THEN c.new_values->>'$.status' ELSE f.status END AS status,
        CASE WHEN c.verdict IN ('accept', 'correct') THEN from_json(c.new_values->'$.organisations', '["VARCHAR"]')
             ELSE f.organisations END AS organisations,
        CASE WHEN c.verdict IN ('accept', 'correct') THEN CAST(c.new_values->>'$.target_year' AS INTEGER)
             ELSE f.target_year END AS target_year,
        f.optional, f.sentence, f.start_char, f.end_char, f.pattern_ids, f.extractor_version, f.confidence,
        CASE c.verdict WHEN 'accept' THEN 'accepted' WHEN 'correct' THEN 'corrected' WHEN 'reject' THEN 'rejected'
             ELSE 'pending' END AS review_status,
        c.correction_id IS NOT NULL AND c.row_version IS DISTINCT FROM f.row_version AS review_stale,
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
        'added' AS review_status, false AS review_stale, c.correction_id, c.reviewer, c.reviewed_at, c.note AS review_note
    FROM corrections c
    WHERE c.verdict = 'add' AND c.article_id IN (SELECT article_id FROM articles)
    QUALIFY row_number() OVER (PARTITION BY c.facility_id ORDER BY c.reviewed_at DESC, c.correction_id DESC) = 1
)
SELECT * FROM machine
UNION ALL BY NAME
SELECT * FROM added;

CREATE OR REPLACE VIEW facilities_reviewed AS
SELECT * FROM facilities_review_state WHERE review_status <> 'rejected';
