-- "Pending payments" in the wallet screen: by user and status. The only candidate index is on
-- status alone (P3: wants (user_id, status)).
\set nusers greatest(1, int(20000 * :scale))
\set uid random_zipfian(1, :nusers, 1.1)
SELECT payment_id, order_id, amount_cents, created_at
  FROM payments
 WHERE user_id = :uid AND status = 'pending'
 ORDER BY created_at DESC;
