-- The shop family of the advisor benchmark (samples/advisor-bench/README.md): a schema dbvet was never tuned on.

CREATE TABLE customers(id INTEGER PRIMARY KEY, email TEXT, country TEXT, created_at TEXT, name TEXT);
CREATE TABLE products(id INTEGER PRIMARY KEY, sku TEXT, category TEXT, price INTEGER, title TEXT);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INTEGER, status TEXT, placed_at TEXT, total INTEGER);
CREATE TABLE order_items(id INTEGER PRIMARY KEY, order_id INTEGER, product_id INTEGER, qty INTEGER);
CREATE TABLE reviews(id INTEGER PRIMARY KEY, product_id INTEGER, customer_id INTEGER, stars INTEGER, written_at TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO customers SELECT i, 'u' || i || '@x.io',
  CASE i % 10 WHEN 0 THEN 'JP' WHEN 1 THEN 'DE' WHEN 2 THEN 'FR' WHEN 3 THEN 'BR' ELSE 'US' END,
  date('2023-01-01', '+' || (i % 900) || ' days'), 'name' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
INSERT INTO products SELECT i, 'sku' || i, 'cat' || (i % 40), (i * 37) % 1000, 'title ' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO orders SELECT i, (i * 7919) % 20000 + 1,
  CASE WHEN i % 50 = 0 THEN 'pending' WHEN i % 50 = 1 THEN 'refunded' ELSE 'shipped' END,
  date('2025-01-01', '+' || (i % 330) || ' days'), (i * 97) % 50000 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250000)
INSERT INTO order_items SELECT i, (i * 31) % 100000 + 1, (i * 17) % 5000 + 1, i % 5 + 1 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
INSERT INTO reviews SELECT i, (i * 13) % 5000 + 1, (i * 11) % 20000 + 1, i % 5 + 1,
  date('2024-01-01', '+' || (i % 600) || ' days') FROM n;
ANALYZE;

