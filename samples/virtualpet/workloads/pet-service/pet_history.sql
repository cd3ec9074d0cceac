-- Pet page: the last feedings of one pet, newest first. The only index is feeding_events(pet_id):
-- every call reads all of the pet's feedings and sorts them (P1: wants (pet_id, fed_at)).
\set npets greatest(1, int(30000 * :scale))
\set pet_id random_zipfian(1, :npets, 1.1)
SELECT event_id, item_id, amount, fed_at
  FROM feeding_events
 WHERE pet_id = :pet_id
 ORDER BY fed_at DESC
 LIMIT 20;
