SET lock_timeout = '5s';
SET statement_timeout = '5s';
ALTER TABLE pets ADD COLUMN status text NOT NULL;
ALTER TABLE pets ADD COLUMN mood text NOT NULL DEFAULT 'calm';
ALTER TABLE pets ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE pets ALTER COLUMN owner_id SET NOT NULL;
ALTER TABLE pets ALTER COLUMN weight TYPE numeric(8, 2);
