-- Schema the SQLite plan fixtures were captured on (sqlite3 3.40.1, see regenerate.sh).
CREATE TABLE owners(id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);
CREATE TABLE pets(id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES owners(id), species TEXT,
                  name TEXT, born INTEGER, happiness INTEGER);
CREATE INDEX pets_owner_born ON pets(owner_id, born);
CREATE INDEX pets_species ON pets(species);
CREATE TABLE feedings(pet_id INTEGER, fed_at INTEGER, food TEXT);
CREATE TABLE items(sku TEXT PRIMARY KEY, price INTEGER) WITHOUT ROWID;
