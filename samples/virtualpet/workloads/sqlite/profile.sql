-- A player's profile (fine: primary keys).
\set nusers greatest(1, int(20000 * :scale))
\set uid random_zipfian(1, :nusers, 1.1)
SELECT u.username, u.display_name, u.country_code, p.bio, p.avatar_url, p.timezone
  FROM users u
  JOIN profiles p ON p.user_id = u.user_id
 WHERE u.user_id = :uid;
