-- Every API call checks its session token (fine: unique index on token).
\set nsessions greatest(1, int(60000 * :scale))
\set sid random(1, :nsessions)
SELECT token AS session_token FROM sessions WHERE session_id = :sid \gset
SELECT user_id, expires_at FROM sessions WHERE token = ':session_token';
