EXPLAIN FORMAT=JSON SELECT * FROM customers c WHERE c.country = 'FR' AND (SELECT MAX(total_cents) FROM orders o WHERE o.customer_id = c.id) > 9000
