-- "Who added me as a friend": joins on friendships.friend_id, a foreign key without an index (P10).
\set nusers greatest(1, int(20000 * :scale))
\set uid random_zipfian(1, :nusers, 1.1)
SELECT u.user_id, u.display_name, f.created_at
  FROM friendships f
  JOIN users u ON u.user_id = f.user_id
 WHERE f.friend_id = :uid
   AND f.status = 'accepted';
