-- The helpdesk family of the advisor benchmark (samples/advisor-bench/README.md): a catalogue of 50
-- everyday query shapes over a schema dbvet was never tuned on, with engineer.sql, the index set a
-- careful engineer would create for them. Primary keys only, no declared foreign keys.

CREATE TABLE orgs(id INTEGER PRIMARY KEY, name TEXT, tier TEXT, region TEXT, created_at TEXT);
CREATE TABLE agents(id INTEGER PRIMARY KEY, org_id INTEGER, email TEXT, team TEXT, active INTEGER, hired_at TEXT);
CREATE TABLE customers(id INTEGER PRIMARY KEY, org_id INTEGER, email TEXT, name TEXT, country TEXT, vip INTEGER,
                       created_at TEXT);
CREATE TABLE tickets(id INTEGER PRIMARY KEY, org_id INTEGER, customer_id INTEGER, agent_id INTEGER, status TEXT,
                     priority INTEGER, channel TEXT, subject TEXT, created_at TEXT, updated_at TEXT, closed_at TEXT);
CREATE TABLE comments(id INTEGER PRIMARY KEY, ticket_id INTEGER, author_agent_id INTEGER, internal INTEGER,
                      created_at TEXT, body TEXT);
CREATE TABLE tags(id INTEGER PRIMARY KEY, ticket_id INTEGER, tag TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO orgs SELECT i, 'org ' || i, CASE i % 10 WHEN 0 THEN 'enterprise' WHEN 1 THEN 'business' ELSE 'starter' END,
  CASE i % 3 WHEN 0 THEN 'emea' WHEN 1 THEN 'amer' ELSE 'apac' END, date('2019-01-01', '+' || (i % 1500) || ' days') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
INSERT INTO agents SELECT i, i % 2000 + 1, 'a' || i || '@helpdesk.io',
  CASE i % 4 WHEN 0 THEN 'billing' WHEN 1 THEN 'tech' WHEN 2 THEN 'sales' ELSE 'onboarding' END,
  CASE WHEN i % 9 = 0 THEN 0 ELSE 1 END, date('2018-01-01', '+' || (i % 2500) || ' days') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
INSERT INTO customers SELECT i, (i * 7) % 2000 + 1, 'c' || i || '@h.io', 'customer ' || ((i * 7919) % 50000),
  CASE i % 8 WHEN 0 THEN 'DE' WHEN 1 THEN 'BR' WHEN 2 THEN 'JP' WHEN 3 THEN 'FR' ELSE 'US' END,
  CASE WHEN i % 50 = 0 THEN 1 ELSE 0 END, date('2023-01-01', '+' || (i % 1090) || ' days') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
INSERT INTO tickets SELECT i, (i * 13) % 2000 + 1, (i * 31) % 50000 + 1,
  CASE WHEN i % 20 = 0 THEN NULL ELSE (i * 17) % 5000 + 1 END,
  CASE WHEN i % 10 < 6 THEN 'closed' WHEN i % 10 < 8 THEN 'open' WHEN i % 10 = 8 THEN 'pending' ELSE 'on_hold' END,
  i % 4, CASE i % 4 WHEN 0 THEN 'email' WHEN 1 THEN 'chat' WHEN 2 THEN 'phone' ELSE 'web' END,
  'Cannot log in ' || i, date('2024-01-01', '+' || (i % 730) || ' days'),
  datetime('2025-01-01', '+' || ((i * 37) % 525000) || ' minutes'),
  CASE WHEN i % 10 < 6 THEN date('2024-01-05', '+' || (i % 730) || ' days') ELSE NULL END FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400000)
INSERT INTO comments SELECT i, (i * 7) % 200000 + 1, (i * 11) % 5000 + 1, CASE WHEN i % 5 = 0 THEN 1 ELSE 0 END,
  datetime('2024-01-01', '+' || ((i * 3) % 1051200) || ' minutes'), 'comment ' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000)
INSERT INTO tags SELECT i, (i * 3) % 200000 + 1,
  CASE i % 12 WHEN 0 THEN 'refund' WHEN 1 THEN 'urgent' WHEN 2 THEN 'bug' WHEN 3 THEN 'billing' WHEN 4 THEN 'feature'
  WHEN 5 THEN 'login' WHEN 6 THEN 'mobile' WHEN 7 THEN 'api' WHEN 8 THEN 'export' WHEN 9 THEN 'sso' WHEN 10 THEN 'gdpr'
  ELSE 'other' END FROM n;
ANALYZE;
