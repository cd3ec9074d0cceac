SET lock_timeout = '5s';
SET statement_timeout = '5s';
ALTER TABLE pets RENAME COLUMN name TO display_name;
ALTER TABLE owners RENAME TO users;
ALTER TABLE pets DROP COLUMN nickname;
DROP TABLE old_pets;
