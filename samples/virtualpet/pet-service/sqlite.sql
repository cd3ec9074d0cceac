-- pet-service in SQLite (the embedded default of the same model as postgres.sql).
-- Secondary indexes are in sqlite.indexes.sql; `dbvet gen` builds them after loading.

CREATE TABLE species (
  species_id       INTEGER PRIMARY KEY,
  name             TEXT NOT NULL,
  base_hunger_rate INTEGER NOT NULL,
  base_energy_rate INTEGER NOT NULL,
  rarity           TEXT NOT NULL
);

CREATE TABLE pets (
  pet_id      INTEGER PRIMARY KEY,
  owner_id    INTEGER NOT NULL,
  species_id  INTEGER NOT NULL,
  name        TEXT NOT NULL,
  color       TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  is_active   INTEGER NOT NULL DEFAULT 1,
  last_fed_at TEXT
);

CREATE TABLE pet_stats (
  pet_id     INTEGER PRIMARY KEY REFERENCES pets (pet_id),
  hunger     INTEGER NOT NULL,
  happiness  INTEGER NOT NULL,
  energy     INTEGER NOT NULL,
  level      INTEGER NOT NULL,
  xp         INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE items (
  item_id     INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  category    TEXT NOT NULL,
  price_cents INTEGER NOT NULL,
  rarity      TEXT NOT NULL
);

CREATE TABLE feeding_events (
  event_id INTEGER PRIMARY KEY,
  pet_id   INTEGER NOT NULL REFERENCES pets (pet_id),
  item_id  INTEGER,
  amount   INTEGER NOT NULL,
  fed_at   TEXT NOT NULL
);

CREATE TABLE play_events (
  event_id       INTEGER PRIMARY KEY,
  pet_id         INTEGER NOT NULL REFERENCES pets (pet_id),
  game           TEXT NOT NULL,
  duration_s     INTEGER NOT NULL,
  happiness_gain INTEGER NOT NULL,
  played_at      TEXT NOT NULL
);

CREATE TABLE inventories (
  inventory_id INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL,
  item_id      INTEGER NOT NULL,
  quantity     INTEGER NOT NULL,
  acquired_at  TEXT NOT NULL
);

CREATE TABLE achievements (
  achievement_id INTEGER PRIMARY KEY,
  code           TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  points         INTEGER NOT NULL
);

CREATE TABLE pet_achievements (
  pet_id         INTEGER NOT NULL REFERENCES pets (pet_id),
  achievement_id INTEGER NOT NULL,
  earned_at      TEXT NOT NULL,
  PRIMARY KEY (pet_id, achievement_id)
) WITHOUT ROWID;

CREATE TABLE leaderboard_scores (
  score_id    INTEGER PRIMARY KEY,
  season      INTEGER NOT NULL,
  user_id     INTEGER NOT NULL,
  pet_id      INTEGER NOT NULL,
  score       INTEGER NOT NULL,
  recorded_at TEXT NOT NULL
);
