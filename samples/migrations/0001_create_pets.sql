-- A new table and its indexes: nothing here can block running code.
CREATE TABLE pet_tags (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pet_id bigint NOT NULL REFERENCES pets (id),
    tag varchar(40) NOT NULL,
    created_at timestamp NOT NULL DEFAULT now()
);
CREATE INDEX pet_tags_pet_id ON pet_tags (pet_id);
