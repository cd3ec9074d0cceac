-- The identity provider's login: user by realm and username, then credentials and role mappings
-- (fine: Keycloak's own indexes serve all three).
\set nusers greatest(1, int(20000 * :scale))
\set uid random_zipfian(1, :nusers, 1.1)
SELECT username AS kc_username FROM users WHERE user_id = :uid \gset
SELECT id AS kc_user_id, email, enabled FROM user_entity WHERE realm_id = 'virtualpet' AND username = ':kc_username' \gset
SELECT type, secret_data, credential_data FROM credential WHERE user_id = ':kc_user_id' ORDER BY priority;
SELECT role_id FROM user_role_mapping WHERE user_id = ':kc_user_id';
