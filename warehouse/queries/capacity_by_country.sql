-- Reviewed facilities (corrections applied, rejected removed) per country and type with total MW.
SELECT coalesce(country, '(unknown)') AS country, type, count(*) AS facilities,
       round(sum(capacity_mw), 3) AS total_mw
FROM facilities_reviewed
GROUP BY ALL
ORDER BY total_mw DESC NULLS LAST, country, type
