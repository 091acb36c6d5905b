-- The 20 most recent runs with their counts and status.
SELECT run_id, started_at, finished_at, status, feeds, entries, loaded, unchanged, duplicate, skipped, failed,
       facilities, mentions
FROM runs
ORDER BY started_at DESC
LIMIT 20
