-- Login: the form's e-mail is matched case-insensitively with lower(email), which the unique
-- index on email cannot serve (P4: wants an index on lower(email), or COLLATE NOCASE).
\set nusers greatest(1, int(20000 * :scale))
\set uid random_zipfian(1, :nusers, 1.1)
SELECT email AS login_email FROM users WHERE user_id = :uid \gset
SELECT user_id, username, status FROM users WHERE lower(email) = lower(':login_email');
UPDATE users SET last_login_at = datetime('now') WHERE user_id = :uid;
