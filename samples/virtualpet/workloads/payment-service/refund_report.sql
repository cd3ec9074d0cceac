-- Finance's refund report for the last month (fine: refunds is small).
SELECT r.refund_id, r.amount_cents, r.reason, p.user_id, p.method
  FROM refunds r
  JOIN payments p ON p.payment_id = r.payment_id
 WHERE r.created_at >= '2025-12-01'
 ORDER BY r.created_at DESC
 LIMIT 50;
