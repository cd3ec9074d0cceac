-- The operations dashboard, refreshed every few seconds: an exact COUNT(*) of the biggest table
-- (P8), and a per-pet count that its index serves (fine).
\set npets greatest(1, int(30000 * :scale))
\set pet_id random_zipfian(1, :npets, 1.1)
SELECT count(*) FROM feeding_events;
SELECT count(*) FROM feeding_events WHERE pet_id = :pet_id;
