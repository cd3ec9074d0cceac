ANALYZE FORMAT=JSON SELECT c.country, COUNT(*) FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.status = 'refunded' GROUP BY c.country ORDER BY COUNT(*) DESC
