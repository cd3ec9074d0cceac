-- A pet's profile card: primary-key lookups and a join to a tiny table (fine).
\set npets greatest(1, int(30000 * :scale))
\set pet_id random_zipfian(1, :npets, 1.1)
SELECT p.pet_id, p.name, p.color, sp.name AS species, s.hunger, s.happiness, s.energy, s.level
  FROM pets p
  JOIN pet_stats s ON s.pet_id = p.pet_id
  JOIN species sp ON sp.species_id = p.species_id
 WHERE p.pet_id = :pet_id;
