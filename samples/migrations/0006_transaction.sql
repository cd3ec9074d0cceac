BEGIN;
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY pets_created_at ON pets (created_at);
COMMIT;
