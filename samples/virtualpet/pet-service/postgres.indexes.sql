-- pet-service secondary indexes and foreign keys, built after loading. Some are right, some are
-- missing and some are redundant or unused on purpose: see ../EXPECTED.md.

CREATE INDEX idx_pets_owner ON pets (owner_id);                    -- a prefix of the next one (P11)
CREATE INDEX idx_pets_owner_created ON pets (owner_id, created_at);
CREATE INDEX idx_pets_color ON pets (color);                       -- no query uses it (P12)
CREATE INDEX idx_feeding_events_pet ON feeding_events (pet_id);    -- history wants (pet_id, fed_at) (P1)
CREATE INDEX idx_inventories_user_item ON inventories (user_id, item_id);
CREATE INDEX idx_leaderboard_user ON leaderboard_scores (user_id); -- the ranking wants (season, score) (P2)

ALTER TABLE pet_stats ADD CONSTRAINT fk_pet_stats_pet FOREIGN KEY (pet_id) REFERENCES pets (pet_id);
ALTER TABLE feeding_events ADD CONSTRAINT fk_feeding_events_pet FOREIGN KEY (pet_id) REFERENCES pets (pet_id);
-- play_events.pet_id has no index (P10).
ALTER TABLE play_events ADD CONSTRAINT fk_play_events_pet FOREIGN KEY (pet_id) REFERENCES pets (pet_id);
ALTER TABLE pet_achievements ADD CONSTRAINT fk_pet_achievements_pet FOREIGN KEY (pet_id) REFERENCES pets (pet_id);
