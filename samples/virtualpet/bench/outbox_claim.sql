-- The naive outbox relay: claim the oldest unpublished event, one per poll, with a plain FOR UPDATE.
-- Every consumer wants the same oldest row, so they queue on its lock and then re-check; one event
-- per transaction at best, and consumers mostly wait on each other.
UPDATE outbox
   SET published_at = now(), attempts = attempts + 1
 WHERE id = (SELECT id FROM outbox
              WHERE published_at IS NULL
              ORDER BY created_at
              LIMIT 1
                FOR UPDATE)
RETURNING id;
