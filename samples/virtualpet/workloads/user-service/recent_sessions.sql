-- "Where you're logged in": a user's latest sessions (fine: idx_sessions_user_created serves it,
-- which leaves idx_sessions_user redundant, P11).
\set nusers greatest(1, int(20000 * :scale))
\set uid random_zipfian(1, :nusers, 1.1)
SELECT session_id, created_at, ip_address, user_agent
  FROM sessions
 WHERE user_id = :uid
 ORDER BY created_at DESC
 LIMIT 10;
