SET lock_timeout = '5s';
SET statement_timeout = '5s';
ALTER TABLE pets ADD CONSTRAINT pets_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id);
ALTER TABLE pets ADD CONSTRAINT pets_age_positive CHECK (age >= 0);
ALTER TABLE pets ADD CONSTRAINT pets_tag_unique UNIQUE (tag);
ALTER TABLE pets ADD CONSTRAINT pets_tag_unique2 UNIQUE USING INDEX pets_tag_key;
