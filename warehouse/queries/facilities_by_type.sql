-- Machine-extracted facilities per type: count, articles and total MW.
SELECT type, count(*) AS facilities, count(DISTINCT article_id) AS articles,
       round(sum(capacity_mw), 3) AS total_mw
FROM facilities
GROUP BY type
ORDER BY facilities DESC, type
