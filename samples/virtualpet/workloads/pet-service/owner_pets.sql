-- "My pets": the owner's list, then the stats of each pet fetched one by one as the app's ORM
-- does (P7: N+1; one query with a join or pet_id IN (...) would do).
\set nusers greatest(1, int(20000 * :scale))
\set npets greatest(1, int(30000 * :scale))
\set owner_id random_zipfian(1, :nusers, 1.1)
SELECT pet_id, name, species_id, created_at FROM pets WHERE owner_id = :owner_id ORDER BY created_at;
\set p1 random(1, :npets)
SELECT hunger, happiness, energy, level FROM pet_stats WHERE pet_id = :p1;
\set p2 random(1, :npets)
SELECT hunger, happiness, energy, level FROM pet_stats WHERE pet_id = :p2;
\set p3 random(1, :npets)
SELECT hunger, happiness, energy, level FROM pet_stats WHERE pet_id = :p3;
\set p4 random(1, :npets)
SELECT hunger, happiness, energy, level FROM pet_stats WHERE pet_id = :p4;
\set p5 random(1, :npets)
SELECT hunger, happiness, energy, level FROM pet_stats WHERE pet_id = :p5;
\set p6 random(1, :npets)
SELECT hunger, happiness, energy, level FROM pet_stats WHERE pet_id = :p6;
