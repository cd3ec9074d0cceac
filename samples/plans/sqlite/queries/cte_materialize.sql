WITH hungry AS MATERIALIZED (SELECT pet_id, count(*) AS n FROM feedings GROUP BY pet_id) SELECT p.name, h.n FROM pets p JOIN hungry h ON h.pet_id = p.id ORDER BY h.n DESC;
