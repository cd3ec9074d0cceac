-- A player's last orders with their lines.
\set nusers greatest(1, int(20000 * :scale))
\set uid random_zipfian(1, :nusers, 1.1)
SELECT o.order_id, o.status, o.total_cents, o.created_at, l.item_id, l.quantity
  FROM orders o
  JOIN order_lines l ON l.order_id = o.order_id
 WHERE o.user_id = :uid
 ORDER BY o.created_at DESC
 LIMIT 20;
