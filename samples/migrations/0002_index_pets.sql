CREATE INDEX pets_owner_id ON pets (owner_id);
DROP INDEX pets_name_idx;
CREATE UNIQUE INDEX CONCURRENTLY pets_tag_key ON pets (tag);
