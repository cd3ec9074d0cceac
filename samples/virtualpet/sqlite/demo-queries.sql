-- The queries `make demo` explains on the SQLite Virtual Pet sample: the pet service's hot paths,
-- with literal values where the workloads (../workloads/sqlite/) use pgbench variables.

-- A pet's last feedings: idx_feeding_events_pet finds them, then a temporary B-tree sorts them (P1).
SELECT event_id, item_id, amount, fed_at FROM feeding_events WHERE pet_id = 1 ORDER BY fed_at DESC LIMIT 20;

-- The season leaderboard: a full scan and a sort (P2).
SELECT user_id, pet_id, score FROM leaderboard_scores WHERE season = 4 ORDER BY score DESC LIMIT 100;

-- Login by e-mail, case-insensitively: lower(email) cannot use ux_users_email (P4).
SELECT user_id, username, status FROM users WHERE lower(email) = lower('Emma.Smith1@gmail.com');

-- Pet search with a leading wildcard (P5).
SELECT pet_id, name, color FROM pets WHERE name LIKE '%ell%' ORDER BY name LIMIT 50;

-- Play time per pet of one owner: play_events.pet_id has no index (P10).
SELECT p.pet_id, p.name, sum(e.duration_s) AS seconds_played
  FROM pets p JOIN play_events e ON e.pet_id = p.pet_id
 WHERE p.owner_id = 1 GROUP BY p.pet_id, p.name;

-- A pet's profile card: primary-key lookups (fine).
SELECT p.pet_id, p.name, sp.name AS species, s.hunger, s.happiness, s.energy
  FROM pets p JOIN pet_stats s ON s.pet_id = p.pet_id JOIN species sp ON sp.species_id = p.species_id
 WHERE p.pet_id = 42;
