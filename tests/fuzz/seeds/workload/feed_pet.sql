-- Feeding a pet: one event row, the stats and the pet's last_fed_at in one transaction.
\set npets greatest(1, int(30000 * :scale))
\set pet_id random_zipfian(1, :npets, 1.1)
\set item_id random(1, 200)
\set amount 10 * random(1, 5)
BEGIN;
INSERT INTO feeding_events (pet_id, item_id, amount, fed_at) VALUES (:pet_id, :item_id, :amount, now());
UPDATE pet_stats SET hunger = greatest(hunger - :amount, 0), updated_at = now() WHERE pet_id = :pet_id;
UPDATE pets SET last_fed_at = now() WHERE pet_id = :pet_id;
END;
