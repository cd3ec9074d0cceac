CREATE TABLE tenants(id INTEGER PRIMARY KEY, name TEXT, plan TEXT, created_at TEXT);
CREATE TABLE users(id INTEGER PRIMARY KEY, tenant_id INTEGER, email TEXT, role TEXT, last_login TEXT);
CREATE TABLE projects(id INTEGER PRIMARY KEY, tenant_id INTEGER, owner_id INTEGER, name TEXT, archived INTEGER);
CREATE TABLE tasks(id INTEGER PRIMARY KEY, project_id INTEGER, assignee_id INTEGER, status TEXT, priority INTEGER,
                   due_date TEXT, created_at TEXT);
CREATE TABLE events(id INTEGER PRIMARY KEY, tenant_id INTEGER, user_id INTEGER, kind TEXT, created_at TEXT, payload TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
INSERT INTO tenants SELECT i, 'tenant ' || i, CASE i % 3 WHEN 0 THEN 'free' WHEN 1 THEN 'team' ELSE 'business' END,
  date('2020-01-01', '+' || (i * 3) || ' days') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
INSERT INTO users SELECT i, i % 500 + 1, 'u' || i || '@t' || (i % 500 + 1) || '.io',
  CASE WHEN i % 25 = 0 THEN 'admin' ELSE 'member' END, date('2023-06-01', '+' || (i % 800) || ' days') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8000)
INSERT INTO projects SELECT i, i % 500 + 1, (i * 13) % 30000 + 1, 'project ' || (i * 7 % 8000), CASE WHEN i % 6 = 0 THEN 1 ELSE 0 END FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
INSERT INTO tasks SELECT i, (i * 31) % 8000 + 1, (i * 17) % 30000 + 1,
  CASE i % 10 WHEN 0 THEN 'open' WHEN 1 THEN 'in_progress' ELSE 'done' END, i % 4,
  date('2024-01-01', '+' || (i % 730) || ' days'), date('2023-01-01', '+' || (i % 1000) || ' days') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400000)
INSERT INTO events SELECT i, (i * 7) % 500 + 1, (i * 11) % 30000 + 1,
  CASE i % 6 WHEN 0 THEN 'login' WHEN 1 THEN 'view' WHEN 2 THEN 'edit' WHEN 3 THEN 'comment' WHEN 4 THEN 'share' ELSE 'export' END,
  datetime('2025-01-01', '+' || (i % 500000) || ' minutes'), 'x' FROM n;
ANALYZE;
