-- Secondary indexes of the SQLite pet-service, built after loading. See ../EXPECTED.md.

-- pet-service
CREATE INDEX idx_pets_owner ON pets (owner_id);                   -- redundant with the next one (P11)
CREATE INDEX idx_pets_owner_created ON pets (owner_id, created_at);
CREATE INDEX idx_pets_color ON pets (color);                      -- never used (P12)
CREATE INDEX idx_feeding_events_pet ON feeding_events (pet_id);   -- history needs (pet_id, fed_at) (P1)
-- play_events (pet_id): no index although it is a foreign key (P10)
CREATE INDEX idx_inventories_user_item ON inventories (user_id, item_id);
CREATE INDEX idx_leaderboard_user ON leaderboard_scores (user_id);  -- the ranking needs (season, score) (P2)
