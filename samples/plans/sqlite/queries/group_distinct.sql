SELECT DISTINCT species, count(*) FROM pets GROUP BY owner_id;
