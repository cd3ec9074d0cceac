-- Play time per pet of one owner: the join follows play_events.pet_id, a foreign key without an
-- index (P10).
\set nusers greatest(1, int(20000 * :scale))
\set owner_id random_zipfian(1, :nusers, 1.1)
SELECT p.pet_id, p.name, sum(e.duration_s) AS seconds_played
  FROM pets p
  JOIN play_events e ON e.pet_id = p.pet_id
 WHERE p.owner_id = :owner_id
 GROUP BY p.pet_id, p.name;
