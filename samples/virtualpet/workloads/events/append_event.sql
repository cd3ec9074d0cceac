-- A service writes an event into the outbox in its own transaction.
\set npets greatest(1, int(30000 * :scale))
\set pet_id random_zipfian(1, :npets, 1.1)
INSERT INTO outbox (aggregate_type, aggregate_id, event_type, payload, created_at)
VALUES ('pet', :pet_id, 'pet.fed', '{"id": :pet_id, "v": 1}', now());
