-- The Virtual Pet game in one SQLite database: every service's tables, in SQLite's dialect.
-- Secondary indexes are in schema.indexes.sql; `dbvet gen` builds them after loading the data.
-- Column order matches the generator (analyzer/sample/virtualpet.cpp).

-- user-service ----------------------------------------------------------------------------------
CREATE TABLE users (
  user_id       INTEGER PRIMARY KEY,
  username      TEXT NOT NULL,
  email         TEXT NOT NULL,
  display_name  TEXT NOT NULL,
  country_code  TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  last_login_at TEXT,
  status        TEXT NOT NULL DEFAULT 'active'
);

CREATE TABLE profiles (
  user_id          INTEGER PRIMARY KEY REFERENCES users (user_id),
  bio              TEXT,
  avatar_url       TEXT,
  birth_year       INTEGER,
  timezone         TEXT NOT NULL,
  marketing_opt_in INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
  session_id INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (user_id),
  token      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  ip_address TEXT NOT NULL,
  user_agent TEXT
);

CREATE TABLE friendships (
  user_id    INTEGER NOT NULL REFERENCES users (user_id),
  friend_id  INTEGER NOT NULL REFERENCES users (user_id),
  status     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, friend_id)
) WITHOUT ROWID;

-- Keycloak-like identity tables kept beside the user service.
CREATE TABLE realm (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  enabled      INTEGER NOT NULL,
  ssl_required TEXT
);

CREATE TABLE client (
  id            TEXT PRIMARY KEY,
  realm_id      TEXT NOT NULL REFERENCES realm (id),
  client_id     TEXT NOT NULL,
  name          TEXT,
  enabled       INTEGER NOT NULL,
  public_client INTEGER NOT NULL,
  UNIQUE (realm_id, client_id)
);

CREATE TABLE keycloak_role (
  id          TEXT PRIMARY KEY,
  realm_id    TEXT NOT NULL,
  client      TEXT,
  name        TEXT NOT NULL,
  description TEXT
);

CREATE TABLE user_entity (
  id                TEXT PRIMARY KEY,
  realm_id          TEXT NOT NULL,
  username          TEXT NOT NULL,
  email             TEXT,
  email_verified    INTEGER NOT NULL,
  enabled           INTEGER NOT NULL,
  first_name        TEXT,
  last_name         TEXT,
  created_timestamp INTEGER
);

CREATE TABLE credential (
  id              TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL REFERENCES user_entity (id),
  type            TEXT NOT NULL,
  secret_data     TEXT NOT NULL,
  credential_data TEXT NOT NULL,
  created_date    INTEGER,
  priority        INTEGER
);

CREATE TABLE user_role_mapping (
  role_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES user_entity (id),
  PRIMARY KEY (role_id, user_id)
) WITHOUT ROWID;

-- pet-service -----------------------------------------------------------------------------------
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

-- payment-service -------------------------------------------------------------------------------
CREATE TABLE currencies (
  currency_code      TEXT PRIMARY KEY,
  name               TEXT NOT NULL,
  minor_units        INTEGER NOT NULL,
  rate_to_usd_micros INTEGER NOT NULL
);

CREATE TABLE wallets (
  wallet_id     INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL UNIQUE,
  currency_code TEXT NOT NULL,
  balance_cents INTEGER NOT NULL DEFAULT 0,
  updated_at    TEXT NOT NULL
);

CREATE TABLE orders (
  order_id      INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL,
  status        TEXT NOT NULL,
  currency_code TEXT NOT NULL,
  total_cents   INTEGER NOT NULL,
  created_at    TEXT NOT NULL
);

CREATE TABLE order_lines (
  line_id          INTEGER PRIMARY KEY,
  order_id         INTEGER NOT NULL REFERENCES orders (order_id),
  item_id          INTEGER NOT NULL,
  quantity         INTEGER NOT NULL,
  unit_price_cents INTEGER NOT NULL
);

CREATE TABLE payments (
  payment_id   INTEGER PRIMARY KEY,
  order_id     INTEGER NOT NULL REFERENCES orders (order_id),
  user_id      INTEGER NOT NULL,
  method       TEXT NOT NULL,
  status       TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  created_at   TEXT NOT NULL,
  provider_ref TEXT
);

CREATE TABLE refunds (
  refund_id    INTEGER PRIMARY KEY,
  payment_id   INTEGER NOT NULL REFERENCES payments (payment_id),
  amount_cents INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  created_at   TEXT NOT NULL
);

CREATE TABLE ledger_entries (
  entry_id     INTEGER PRIMARY KEY,
  wallet_id    INTEGER NOT NULL REFERENCES wallets (wallet_id),
  order_id     INTEGER,
  direction    TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  created_at   TEXT NOT NULL
);

-- events ----------------------------------------------------------------------------------------
CREATE TABLE outbox (
  id             INTEGER PRIMARY KEY,
  aggregate_type TEXT NOT NULL,
  aggregate_id   INTEGER NOT NULL,
  event_type     TEXT NOT NULL,
  payload        TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  published_at   TEXT,
  attempts       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE event_log (
  id             INTEGER PRIMARY KEY,
  topic          TEXT NOT NULL,
  partition_key  INTEGER NOT NULL,
  event_type     TEXT NOT NULL,
  payload        TEXT NOT NULL,
  occurred_at    TEXT NOT NULL,
  consumer_group TEXT NOT NULL,
  processed_at   TEXT
);
