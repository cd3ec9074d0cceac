-- The outbox relay's poll: the oldest unpublished events. Only ~1% of rows are unpublished and no
-- partial index covers them: a full scan and a sort every poll (P9: wants
-- CREATE INDEX ... ON outbox (created_at) WHERE published_at IS NULL).
BEGIN;
SELECT id, aggregate_type, aggregate_id, event_type, payload
  FROM outbox
 WHERE published_at IS NULL
 ORDER BY created_at
 LIMIT 100
   FOR UPDATE SKIP LOCKED;
END;
