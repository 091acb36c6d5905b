-- The 50 most recent failed or skipped entries with their stage and reason.
SELECT "at", run_id, stage, reason, url, feed, detail
FROM failures
ORDER BY "at" DESC
LIMIT 50
