-- Secondary indexes of the SQLite Virtual Pet game, built after the data is loaded.
-- Some are right, some are missing and some are redundant or unused on purpose: see ../EXPECTED.md.

-- user-service
CREATE UNIQUE INDEX ux_users_email ON users (email);            -- login looks up lower(email): not usable (P4)
CREATE UNIQUE INDEX ux_users_username ON users (username);
CREATE INDEX idx_users_country_status ON users (country_code, status);  -- never used (P12)
CREATE UNIQUE INDEX ux_sessions_token ON sessions (token);
CREATE INDEX idx_sessions_user ON sessions (user_id);             -- redundant with the next one (P11)
CREATE INDEX idx_sessions_user_created ON sessions (user_id, created_at);
CREATE UNIQUE INDEX ux_user_entity_realm_username ON user_entity (realm_id, username);
CREATE INDEX idx_user_entity_email ON user_entity (email);
CREATE INDEX idx_credential_user ON credential (user_id);
CREATE INDEX idx_user_role_mapping_user ON user_role_mapping (user_id);

-- pet-service
CREATE INDEX idx_pets_owner ON pets (owner_id);                   -- redundant with the next one (P11)
CREATE INDEX idx_pets_owner_created ON pets (owner_id, created_at);
CREATE INDEX idx_pets_color ON pets (color);                      -- never used (P12)
CREATE INDEX idx_feeding_events_pet ON feeding_events (pet_id);   -- history needs (pet_id, fed_at) (P1)
-- play_events (pet_id): no index although it is a foreign key (P10)
CREATE INDEX idx_inventories_user_item ON inventories (user_id, item_id);
CREATE INDEX idx_leaderboard_user ON leaderboard_scores (user_id);  -- the ranking needs (season, score) (P2)

-- payment-service
CREATE INDEX idx_wallets_user ON wallets (user_id);               -- duplicates the UNIQUE constraint (P11)
CREATE INDEX idx_orders_user ON orders (user_id);
CREATE INDEX idx_orders_created ON orders (created_at);
CREATE INDEX idx_order_lines_order ON order_lines (order_id);
CREATE INDEX idx_payments_order ON payments (order_id);
CREATE INDEX idx_payments_status ON payments (status);            -- by user and status needs (user_id, status) (P3)
CREATE INDEX idx_refunds_payment ON refunds (payment_id);
CREATE INDEX idx_ledger_wallet_created ON ledger_entries (wallet_id, created_at);

-- events
CREATE INDEX idx_outbox_aggregate ON outbox (aggregate_type, aggregate_id);  -- the poll needs a partial index (P9)
CREATE INDEX idx_event_log_topic_key ON event_log (topic, partition_key);
