-- The tpch family of the advisor benchmark (samples/advisor-bench/README.md), PostgreSQL only: the
-- TPC-H schema with primary keys only, and data shaped like dbgen's at scale factor 0.02 (value
-- domains, key relations and date ranges of the TPC-H specification, section 4.2.3), generated here
-- with a fixed seed so every run loads the same rows. Not dbgen's exact rows: the benchmark needs
-- the shapes and selectivities of the 22 queries, not a certified result.
SELECT setseed(0.42);
CREATE TABLE region(r_regionkey integer PRIMARY KEY, r_name text, r_comment text);
CREATE TABLE nation(n_nationkey integer PRIMARY KEY, n_name text, n_regionkey integer, n_comment text);
CREATE TABLE supplier(s_suppkey integer PRIMARY KEY, s_name text, s_address text, s_nationkey integer, s_phone text,
                      s_acctbal numeric(15, 2), s_comment text);
CREATE TABLE part(p_partkey integer PRIMARY KEY, p_name text, p_mfgr text, p_brand text, p_type text, p_size integer,
                  p_container text, p_retailprice numeric(15, 2), p_comment text);
CREATE TABLE partsupp(ps_partkey integer, ps_suppkey integer, ps_availqty integer, ps_supplycost numeric(15, 2),
                      ps_comment text, PRIMARY KEY (ps_partkey, ps_suppkey));
CREATE TABLE customer(c_custkey integer PRIMARY KEY, c_name text, c_address text, c_nationkey integer, c_phone text,
                      c_acctbal numeric(15, 2), c_mktsegment text, c_comment text);
CREATE TABLE orders(o_orderkey integer PRIMARY KEY, o_custkey integer, o_orderstatus text, o_totalprice numeric(15, 2),
                    o_orderdate date, o_orderpriority text, o_clerk text, o_shippriority integer, o_comment text);
CREATE TABLE lineitem(l_orderkey integer, l_partkey integer, l_suppkey integer, l_linenumber integer,
                      l_quantity numeric(15, 2), l_extendedprice numeric(15, 2), l_discount numeric(15, 2),
                      l_tax numeric(15, 2), l_returnflag text, l_linestatus text, l_shipdate date, l_commitdate date,
                      l_receiptdate date, l_shipinstruct text, l_shipmode text, l_comment text,
                      PRIMARY KEY (l_orderkey, l_linenumber));

INSERT INTO region VALUES (0, 'AFRICA', 'r'), (1, 'AMERICA', 'r'), (2, 'ASIA', 'r'), (3, 'EUROPE', 'r'),
  (4, 'MIDDLE EAST', 'r');
INSERT INTO nation VALUES (0, 'ALGERIA', 0, 'n'), (1, 'ARGENTINA', 1, 'n'), (2, 'BRAZIL', 1, 'n'), (3, 'CANADA', 1, 'n'),
  (4, 'EGYPT', 4, 'n'), (5, 'ETHIOPIA', 0, 'n'), (6, 'FRANCE', 3, 'n'), (7, 'GERMANY', 3, 'n'), (8, 'INDIA', 2, 'n'),
  (9, 'INDONESIA', 2, 'n'), (10, 'IRAN', 4, 'n'), (11, 'IRAQ', 4, 'n'), (12, 'JAPAN', 2, 'n'), (13, 'JORDAN', 4, 'n'),
  (14, 'KENYA', 0, 'n'), (15, 'MOROCCO', 0, 'n'), (16, 'MOZAMBIQUE', 0, 'n'), (17, 'PERU', 1, 'n'), (18, 'CHINA', 2, 'n'),
  (19, 'ROMANIA', 3, 'n'), (20, 'SAUDI ARABIA', 4, 'n'), (21, 'VIETNAM', 2, 'n'), (22, 'RUSSIA', 3, 'n'),
  (23, 'UNITED KINGDOM', 3, 'n'), (24, 'UNITED STATES', 1, 'n');

CREATE TEMP TABLE colors AS SELECT row_number() OVER () - 1 AS k, c FROM unnest(string_to_array(
  'almond antique aquamarine azure beige bisque black blanched blue blush brown burlywood burnished chartreuse '
  'chiffon chocolate coral cornflower cornsilk cream cyan dark deep dim dodger drab firebrick floral forest frosted '
  'gainsboro ghost goldenrod green grey honeydew hot indian ivory khaki lace lavender lawn lemon light lime linen '
  'magenta maroon medium metallic midnight mint misty moccasin navajo navy olive orange orchid pale papaya peach '
  'peru pink plum powder puff purple red rose rosy royal saddle salmon sandy seashell sienna sky slate smoke snow '
  'spring steel tan thistle tomato turquoise violet wheat white yellow', ' ')) AS c;

INSERT INTO supplier
SELECT i, 'Supplier#' || lpad(i::text, 9, '0'), 'addr' || i, n, (n + 10) || '-' || (100 + i % 900) || '-555-0101',
       round((random() * 10998.99 - 999.99)::numeric, 2),
       CASE WHEN i % 40 = 7 THEN 'carefully Customer final Complaints' ELSE 'quickly regular deposits' END
FROM (SELECT i, floor(random() * 25)::int AS n FROM generate_series(1, 200) AS i) s;

INSERT INTO part
SELECT i, (SELECT string_agg(c, ' ') FROM (SELECT c FROM colors ORDER BY random() + i * 0 LIMIT 5) w),
       'Manufacturer#' || m, 'Brand#' || m || (1 + floor(random() * 5)::int),
       (ARRAY['STANDARD', 'SMALL', 'MEDIUM', 'LARGE', 'ECONOMY', 'PROMO'])[1 + floor(random() * 6)::int] || ' ' ||
       (ARRAY['ANODIZED', 'BURNISHED', 'PLATED', 'POLISHED', 'BRUSHED'])[1 + floor(random() * 5)::int] || ' ' ||
       (ARRAY['TIN', 'NICKEL', 'BRASS', 'STEEL', 'COPPER'])[1 + floor(random() * 5)::int],
       1 + floor(random() * 50)::int,
       (ARRAY['SM', 'LG', 'MED', 'JUMBO', 'WRAP'])[1 + floor(random() * 5)::int] || ' ' ||
       (ARRAY['CASE', 'BOX', 'BAG', 'JAR', 'PKG', 'PACK', 'CAN', 'DRUM'])[1 + floor(random() * 8)::int],
       (90000 + ((i / 10) % 20001) + 100 * (i % 1000)) / 100.0, 'part comment'
FROM (SELECT i, 1 + floor(random() * 5)::int AS m FROM generate_series(1, 4000) AS i) p;

-- Each part has 4 suppliers, spread as dbgen spreads them (specification 4.2.3, PS_SUPPKEY).
INSERT INTO partsupp
SELECT p, (p + j * (200 / 4 + (p - 1) / 200)) % 200 + 1, 1 + floor(random() * 9999)::int,
       round((1 + random() * 999)::numeric, 2), 'ps comment'
FROM generate_series(1, 4000) AS p, generate_series(0, 3) AS j;

INSERT INTO customer
SELECT i, 'Customer#' || lpad(i::text, 9, '0'), 'caddr' || i, n, (n + 10) || '-' || (100 + i % 900) || '-555-0199',
       round((random() * 10998.99 - 999.99)::numeric, 2),
       (ARRAY['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'MACHINERY', 'HOUSEHOLD'])[1 + floor(random() * 5)::int],
       'customer comment'
FROM (SELECT i, floor(random() * 25)::int AS n FROM generate_series(1, 3000) AS i) c;

-- A third of the customers place no order (o_custkey is never a multiple of 3), as in dbgen.
INSERT INTO orders
SELECT i, c, CASE WHEN d < date '1995-06-17' THEN 'F' ELSE 'O' END, 0, d,
       (ARRAY['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'])[1 + floor(random() * 5)::int],
       'Clerk#' || lpad((1 + floor(random() * 20))::text, 9, '0'), 0,
       CASE WHEN random() < 0.01 THEN 'pending special packages requests' ELSE 'furiously final accounts' END
FROM (SELECT i, CASE WHEN c % 3 = 0 THEN c - 1 ELSE c END AS c,
             date '1992-01-01' + floor(random() * 2405)::int AS d
      FROM (SELECT i, 2 + floor(random() * 2999)::int AS c FROM generate_series(1, 30000) AS i) r) o;

INSERT INTO lineitem
SELECT o_orderkey, p, (p + j * (200 / 4 + (p - 1) / 200)) % 200 + 1, n, q, q * (90000 + ((p / 10) % 20001) + 100 * (p % 1000)) / 100.0,
       round((floor(random() * 11) / 100)::numeric, 2), round((floor(random() * 9) / 100)::numeric, 2),
       CASE WHEN ship + rcpt <= date '1995-06-17' THEN (ARRAY['R', 'A'])[1 + floor(random() * 2)::int] ELSE 'N' END,
       CASE WHEN ship > date '1995-06-17' THEN 'O' ELSE 'F' END,
       ship, o_orderdate + 30 + floor(random() * 61)::int, ship + rcpt,
       (ARRAY['DELIVER IN PERSON', 'COLLECT COD', 'NONE', 'TAKE BACK RETURN'])[1 + floor(random() * 4)::int],
       (ARRAY['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB'])[1 + floor(random() * 7)::int], 'li comment'
FROM (SELECT o.o_orderkey, o.o_orderdate, n, 1 + floor(random() * 4000)::int AS p, floor(random() * 4)::int AS j,
             1 + floor(random() * 50)::int AS q, o.o_orderdate + 1 + floor(random() * 121)::int AS ship,
             1 + floor(random() * 30)::int AS rcpt
      FROM orders o, generate_series(1, 7) AS n
      WHERE n <= 1 + (o.o_orderkey * 7919) % 7) l;

UPDATE orders SET o_totalprice = t.total FROM
  (SELECT l_orderkey, sum(l_extendedprice * (1 + l_tax) * (1 - l_discount)) AS total FROM lineitem GROUP BY l_orderkey) t
WHERE t.l_orderkey = o_orderkey;
DROP TABLE colors;
ANALYZE;
