SELECT * FROM (SELECT owner_id, count(*) c FROM pets GROUP BY owner_id LIMIT 5) x JOIN owners o ON o.id = x.owner_id;
