ANALYZE FORMAT=JSON UPDATE orders SET note='x' WHERE customer_id=5
