EXPLAIN FORMAT=JSON SELECT c.email, o.total_cents FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.country = 'JP' AND o.status = 'pending'
