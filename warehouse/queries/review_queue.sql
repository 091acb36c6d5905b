-- Facilities still waiting for a reviewer, newest articles first.
SELECT f.facility_id, f.type, f.name, f.location, f.country, f.capacity_mw, f.status, a.title, a.url
FROM facilities_review_state f JOIN articles a USING (article_id)
WHERE f.review_status = 'pending'
ORDER BY a.published DESC NULLS LAST, a.fetched_at DESC, f.start_char
