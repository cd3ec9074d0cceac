-- The pet search box: a name fragment anywhere in the name (P5: leading wildcard, no index helps).
SELECT pet_id, name, color
  FROM pets
 WHERE name ILIKE '%ell%'
 ORDER BY name
 LIMIT 50;
