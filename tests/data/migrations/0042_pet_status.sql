-- 0042: pets get a status; owners' pets are looked up by owner
CREATE INDEX pets_owner_id ON pets (owner_id);
SET lock_timeout = '5s';
ALTER TABLE pets ADD COLUMN status text NOT NULL;
-- dbvet:ignore migration-rename-breaks-code
ALTER TABLE pets RENAME COLUMN name TO display_name;
ALTER TABLE pets ADD CONSTRAINT pets_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id);
ALTER TABLE pets ADD COLUMN;
DROP TABLE old_pets;
SELECT * FROM pets WHERE status = 'new';
