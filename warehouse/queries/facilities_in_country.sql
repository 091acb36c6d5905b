-- Reviewed facilities in one country (case-insensitive), e.g. --param country=Kazakhstan.
SELECT type, name, location, admin_area, capacity_mw, status, target_year, review_status, article_id
FROM facilities_reviewed
WHERE lower(country) = lower($country)
ORDER BY type, capacity_mw DESC NULLS LAST
