-- The pet search box: a name fragment anywhere in the name (P5: leading wildcard, no index helps;
-- SQLite's LIKE is already case-insensitive for ASCII).
SELECT pet_id, name, color
  FROM pets
 WHERE name LIKE '%ell%'
 ORDER BY name
 LIMIT 50;
