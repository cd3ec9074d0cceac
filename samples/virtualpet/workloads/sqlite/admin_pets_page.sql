-- The admin console's pet list, page by page with OFFSET (P6: deep pages read and throw away
-- every row before them; keyset pagination on pet_id does not).
\set npets greatest(1, int(30000 * :scale))
\set page random(greatest(0, :npets / 50 - 100), greatest(0, :npets / 50 - 1))
\set skip :page * 50
SELECT pet_id, owner_id, name, created_at
  FROM pets
 ORDER BY pet_id
 LIMIT 50 OFFSET :skip;
