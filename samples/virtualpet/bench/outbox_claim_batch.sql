-- The outbox relay done right: claim a batch that no other consumer holds (FOR UPDATE SKIP LOCKED),
-- mark it, return it. Consumers never wait on each other nor process an event twice.
UPDATE outbox o
   SET published_at = now(), attempts = o.attempts + 1
  FROM (SELECT id FROM outbox
         WHERE published_at IS NULL
         ORDER BY created_at
         LIMIT 100
           FOR UPDATE SKIP LOCKED) claimed
 WHERE o.id = claimed.id
RETURNING o.id;
