-- The safe forms of 0002-0004.
SET lock_timeout = '5s';
SET statement_timeout = '5s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS pets_owner_id ON pets (owner_id);
DROP INDEX CONCURRENTLY IF EXISTS pets_name_idx;
ALTER TABLE pets ADD COLUMN IF NOT EXISTS status text;
ALTER TABLE pets ADD CONSTRAINT pets_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id) NOT VALID;
ALTER TABLE pets VALIDATE CONSTRAINT pets_owner_fk;
ALTER TABLE pets ADD CONSTRAINT pets_status_not_null CHECK (status IS NOT NULL) NOT VALID;
ALTER TABLE pets VALIDATE CONSTRAINT pets_status_not_null;
ALTER TABLE pets ALTER COLUMN status SET NOT NULL;
