-- user-service secondary indexes and foreign keys, built after loading. Some are right, some are
-- missing and some are redundant or unused on purpose: see ../EXPECTED.md.

CREATE UNIQUE INDEX ux_users_email ON users (email);               -- login compares lower(email) (P4)
CREATE UNIQUE INDEX ux_users_username ON users (username);
CREATE INDEX idx_users_country_status ON users (country_code, status);  -- no query uses it (P12)
CREATE UNIQUE INDEX ux_sessions_token ON sessions (token);
CREATE INDEX idx_sessions_user ON sessions (user_id);              -- a prefix of the next one (P11)
CREATE INDEX idx_sessions_user_created ON sessions (user_id, created_at);
CREATE UNIQUE INDEX ux_user_entity_realm_username ON user_entity (realm_id, username);
CREATE INDEX idx_user_entity_email ON user_entity (email);
CREATE INDEX idx_credential_user ON credential (user_id);
CREATE INDEX idx_user_role_mapping_user ON user_role_mapping (user_id);

ALTER TABLE profiles ADD CONSTRAINT fk_profiles_user FOREIGN KEY (user_id) REFERENCES users (user_id);
ALTER TABLE sessions ADD CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (user_id);
ALTER TABLE friendships ADD CONSTRAINT fk_friendships_user FOREIGN KEY (user_id) REFERENCES users (user_id);
-- friend_id has no index: "who added me" scans friendships (P10).
ALTER TABLE friendships ADD CONSTRAINT fk_friendships_friend FOREIGN KEY (friend_id) REFERENCES users (user_id);
ALTER TABLE client ADD CONSTRAINT fk_client_realm FOREIGN KEY (realm_id) REFERENCES realm (id);
ALTER TABLE credential ADD CONSTRAINT fk_credential_user FOREIGN KEY (user_id) REFERENCES user_entity (id);
ALTER TABLE user_role_mapping ADD CONSTRAINT fk_user_role_mapping_user FOREIGN KEY (user_id) REFERENCES user_entity (id);
