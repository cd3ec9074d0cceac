#!/usr/bin/env python3
"""Writes the held-out logs of this folder, each in one format as its documentation shows it
(issue 18). Deterministic: run it again and the files are the same. The expected results beside
each log (*.expected) come from pgBadger / pt-query-digest, not from this script."""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rnd = random.Random(18)

TEMPLATES = [
    "SELECT * FROM orders WHERE customer_id = {n}",
    "SELECT id, name FROM customers WHERE email = 'user{n}@example.com'",
    "UPDATE stock SET qty = qty - {k} WHERE sku = 'SKU-{n}'",
    "INSERT INTO events (kind, payload) VALUES ('click', '{{\"n\": {n}}}')",
    "DELETE FROM sessions WHERE expires_at < now() - interval '{k} days'",
    "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.country = 'FR' AND o.total > {n}",
]


def statements(count):
    out = []
    for i in range(count):
        t = TEMPLATES[i % len(TEMPLATES)]
        out.append(t.format(n=rnd.randint(1, 9999), k=rnd.randint(1, 9)))
    return out


def ms():
    return f"{rnd.uniform(0.05, 900):.3f}"


def write(name, lines):
    with open(os.path.join(HERE, name), "w") as f:
        f.write("\n".join(lines) + "\n")


# Amazon RDS / Aurora PostgreSQL: log_line_prefix '%t:%r:%u@%d:[%p]:' (not changeable on RDS).
# %r is "host(port)", "[local]", an IPv6 address, or empty for background processes; user and
# database are empty too then. Statements may span lines.
def rds():
    lines = []
    clients = ["10.0.1.23(54321)", "[local]", "2001:db8:0:1::17(40112)", "ip-10-0-2-5.ec2.internal(33210)"]
    sec = 0
    for i, s in enumerate(statements(40)):
        sec += 7
        ts = f"2024-03-01 10:{sec // 60 % 60:02d}:{sec % 60:02d} UTC"
        client = clients[i % len(clients)]
        pid = 4200 + i % 5
        if i % 10 == 3:
            lines.append(f"{ts}::@:[{900 + i}]:LOG:  automatic analyze of table \"shop.public.orders\"")
            lines.append(f"\tavg read rate: 0.000 MB/s, avg write rate: 0.000 MB/s")
        if i % 9 == 5:
            head, _, tail = s.partition(" WHERE ")
            lines.append(f"{ts}:{client}:app@shop:[{pid}]:LOG:  duration: {ms()} ms  statement: {head}")
            lines.append(f"\tWHERE {tail}" if tail else "\t")
        else:
            lines.append(f"{ts}:{client}:app@shop:[{pid}]:LOG:  duration: {ms()} ms  statement: {s}")
    lines.append("2024-03-01 10:05:00 UTC::@:[577]:LOG:  checkpoint starting: time")
    lines.append("2024-03-01 10:05:01 UTC:10.0.1.23(54400):[unknown]@[unknown]:[4301]:LOG:  connection received: host=10.0.1.23 port=54400")
    write("rds.log", lines)
    # The same log as CloudWatch Logs exports it: each line after CloudWatch's own ISO timestamp.
    write("rds_cloudwatch.log", [f"{l[:10]}T{l[11:19]}.000Z {l}" if l[:1] == "2" else l for l in lines])


# Google Cloud SQL for PostgreSQL, as exported from Cloud Logging (one LogEntry per line). The
# server's line is in textPayload without its timestamp (the entry's "timestamp" carries it):
# "[PID]: [N-1] db=DB,user=USER LOG:  ...", a statement's newlines kept inside the payload.
def cloudsql():
    lines = []
    for i, s in enumerate(statements(30)):
        t = f"2024-03-01T10:00:{i * 2 % 60:02d}.{rnd.randint(0, 999999):06d}Z"
        pid = 5100 + i % 4
        if i % 7 == 4:
            s = s.replace(" WHERE ", "\n  WHERE ", 1)
        text = f"[{pid}]: [{i + 1}-1] db=shop,user=app LOG:  duration: {ms()} ms  statement: {s}"
        entry = {
            "insertId": f"s=0a1b2c{i:04d};i={i};b=5f2a;m=9c;t=5e0;x=1",
            "logName": "projects/acme-prod/logs/cloudsql.googleapis.com%2Fpostgres.log",
            "receiveTimestamp": t[:-1] + "123Z",
            "resource": {"labels": {"database_id": "acme-prod:orders-db", "project_id": "acme-prod",
                                    "region": "europe-west1"}, "type": "cloudsql_database"},
            "severity": "INFO",
            "textPayload": text,
            "timestamp": t,
        }
        lines.append(json.dumps(entry, separators=(",", ":")))
    write("cloudsql.json", lines)
    # What 'gcloud logging read --format=json' prints (Cloud SQL's documented way to read its logs):
    # the same entries, newest first, in one indented JSON array.
    entries = [json.loads(l) for l in lines[:8]]
    with open(os.path.join(HERE, "cloudsql_gcloud.json"), "w") as f:
        f.write(json.dumps(entries[::-1], indent=2) + "\n")


# Heroku Postgres through logplex ('heroku logs -p postgres'): "TIMESTAMP app[postgres.PID]:
# [COLOR] [N-M] sql_error_code = XXXXX LOG:  ...", long messages continued in [N-2], [N-3].
def heroku():
    lines = []
    for i, s in enumerate(statements(36)):
        t = f"2024-03-01T10:{i // 6:02d}:{i * 9 % 60:02d}.{rnd.randint(0, 999999):06d}+00:00"
        pid = 21134 + i % 3
        n = i + 1
        if i % 8 == 2:
            head, _, tail = s.partition(" WHERE ")
            lines.append(f"{t} app[postgres.{pid}]: [DATABASE] [{n}-1] sql_error_code = 00000 LOG:  duration: {ms()} ms  statement: {head}")
            lines.append(f"{t} app[postgres.{pid}]: [DATABASE] [{n}-2] #011WHERE {tail}")
        else:
            lines.append(f"{t} app[postgres.{pid}]: [DATABASE] [{n}-1] sql_error_code = 00000 LOG:  duration: {ms()} ms  statement: {s}")
        if i % 12 == 6:
            lines.append(f"{t} app[heroku-postgres]: source=DATABASE addon=postgresql-curved-12345 sample#current_transaction=1234 sample#db_size=8290487bytes")
    write("heroku.log", lines)


# csvlog with log_statement = 'all' and no log_min_duration_statement: "statement: ..." records
# without any duration (PostgreSQL 15 columns, 26 of them).
def csvlog():
    lines = []
    for i, s in enumerate(statements(30)):
        t = f"2024-03-01 10:00:{i * 2 % 60:02d}.{rnd.randint(0, 999):03d} UTC"
        pid = 6100 + i % 3
        msg = ("statement: " + s).replace('"', '""')
        lines.append(f'{t},"app","shop",{pid},"10.0.1.23:{50000 + pid}",65e1a2b3.{pid:x},{i + 1},"idle",'
                     f'2024-03-01 09:59:00 UTC,3/{i + 10},0,LOG,00000,"{msg}",,,,,,,,,"psql","client backend",,0')
    lines.append('2024-03-01 10:01:00.000 UTC,,,577,,65e1a2b0.241,1,,2024-03-01 09:58:00 UTC,,0,LOG,00000,'
                 '"checkpoint starting: time",,,,,,,,,"","checkpointer",,0')
    write("csvlog_no_duration.csv", lines)
    # The same records exported with a header row (COPY ... TO ... CSV HEADER from a log_fdw or
    # file_fdw table, as the RDS log_fdw documentation shows): the first 12 only.
    header = ("log_time,user_name,database_name,process_id,connection_from,session_id,session_line_num,"
              "command_tag,session_start_time,virtual_transaction_id,transaction_id,error_severity,"
              "sql_state_code,message,detail,hint,internal_query,internal_query_pos,context,query,query_pos,"
              "location,application_name,backend_type,leader_pid,query_id")
    write("csvlog_with_header.csv", [header] + lines[:12])


# stderr with log_timezone set to a named zone: %m prints the zone's abbreviation (CET/CEST
# for Europe/Paris, EST/EDT for America/New_York, IST for Asia/Kolkata, NZDT for
# Pacific/Auckland) or, for zones the tz database gives none, the offset ("+03" for
# Europe/Istanbul, "-03" for America/Sao_Paulo). Default log_line_prefix of PostgreSQL 13+: '%m [%p] '.
def named_zones():
    lines = []
    zones = ["CET", "CEST", "EST", "EDT", "+03", "IST", "NZDT", "-03"]
    for i, s in enumerate(statements(40)):
        z = zones[i % len(zones)]
        t = f"2024-03-{1 + i // 10:02d} 10:00:{i % 60:02d}.{rnd.randint(0, 999):03d} {z}"
        lines.append(f"{t} [{7100 + i % 4}] LOG:  duration: {ms()} ms  statement: {s}")
    write("named_timezones.log", lines)


# MySQL slow log cut from a longer file: no server header, the first record has no "# Time:"
# (MySQL writes it only when the second changes) and starts at "# User@Host:".
def mysql_mid_session():
    lines = []
    first = True
    for i, s in enumerate(statements(30)):
        s = s.replace("now() - interval '", "NOW() - INTERVAL ").replace(" days'", " DAY")
        if not first and i % 4 == 0:
            lines.append(f"# Time: 2024-03-01T10:00:{i:02d}.{rnd.randint(0, 999999):06d}Z")
        first = False
        lines.append(f"# User@Host: app[app] @ web-1 [10.0.1.23]  Id: {300 + i % 3}")
        lines.append(f"# Query_time: {rnd.uniform(0.0001, 2):.6f}  Lock_time: 0.000012 Rows_sent: {rnd.randint(0, 50)}  Rows_examined: {rnd.randint(0, 5000)}")
        if i == 0:
            lines.append("use shop;")
        lines.append(f"SET timestamp={1709287200 + i};")
        lines.append(s + ";")
    write("mysql_mid_session.log", lines)


# pgbouncer's own log (logfile = ...): connections and stats, no statements.
def pgbouncer():
    lines = []
    for i in range(30):
        t = f"2024-03-01 10:00:{i * 2:02d}.{rnd.randint(0, 999):03d} UTC"
        ptr = f"0x55d5f0a4{0xb1c0 + i * 0x98:04x}"
        if i % 10 == 9:
            lines.append(f"{t} [1021] LOG stats: 12 xacts/s, 40 queries/s, in 1234 B/s, out 5678 B/s, xact 1234 us, query 456 us, wait 12 us")
        elif i % 3 == 0:
            lines.append(f"{t} [1021] LOG C-{ptr}: shop/app@10.0.1.23:{54000 + i} login attempt: db=shop user=app tls=no")
        elif i % 3 == 1:
            lines.append(f"{t} [1021] LOG S-{ptr}: shop/app@10.0.0.5:5432 new connection to server (from 10.0.0.9:{41000 + i})")
        else:
            lines.append(f"{t} [1021] LOG C-{ptr}: shop/app@10.0.1.23:{54000 + i} closing because: client close request (age=2s)")
    write("pgbouncer.log", lines)


for f in (rds, cloudsql, heroku, csvlog, named_zones, mysql_mid_session, pgbouncer):
    f()
