// dbvet report: renders the documents embedded in #dbvet-data (health, audit, advise, digest, bench,
// compare results, oldest first) into the page. Every part is optional: what the documents lack is
// left out. Text goes through textContent only. When the charts have drawn, <body> gets
// data-charts-rendered="N" (N = data-charts-expected); script errors set data-js-errors.
(function () {
  'use strict';
  var body = document.body;
  var errors = 0;
  window.addEventListener('error', function (event) {
    errors += 1;
    body.setAttribute('data-js-errors', String(errors));
    var banner = document.createElement('div');
    banner.className = 'banner';
    banner.textContent = 'Report script error: ' + (event.message || 'unknown');
    document.getElementById('app').prepend(banner);
  });

  var data = JSON.parse(document.getElementById('dbvet-data').textContent);
  var docs = Array.isArray(data.documents) ? data.documents : [];
  var app = document.getElementById('app');

  // ---- small helpers ---------------------------------------------------------------------------
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        if (key === 'text') node.textContent = attrs[key];
        else if (key === 'className') node.className = attrs[key];
        else node.setAttribute(key, attrs[key]);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }
  function section(title, id) {
    var s = el('section', {id: id}, el('h2', {text: title}));
    app.appendChild(s);
    return s;
  }
  function num(value, digits) {
    if (typeof value !== 'number' || !isFinite(value)) return '';
    return value.toLocaleString('en-US', {maximumFractionDigits: digits === undefined ? 2 : digits});
  }
  function seconds(value) {
    if (typeof value !== 'number' || !isFinite(value)) return '';
    if (value < 0.001) return num(value * 1e6, 0) + ' µs';
    if (value < 1) return num(value * 1000, 2) + ' ms';
    return num(value, 2) + ' s';
  }
  function bytes(value) {
    if (typeof value !== 'number' || !isFinite(value)) return '';
    var units = ['B', 'kB', 'MB', 'GB', 'TB'];
    var i = 0;
    while (Math.abs(value) >= 1024 && i < units.length - 1) { value /= 1024; i++; }
    return num(value, i ? 1 : 0) + ' ' + units[i];
  }
  function table(headers, rows, numeric) {
    var head = el('tr');
    headers.forEach(function (h, i) { head.appendChild(el('th', numeric && numeric[i] ? {className: 'num'} : null, h)); });
    var t = el('table', null, el('thead', null, head));
    var tbody = el('tbody');
    rows.forEach(function (row) {
      var tr = el('tr');
      row.forEach(function (cell, i) {
        var td = el('td', numeric && numeric[i] ? {className: 'num'} : null);
        if (cell instanceof Node) td.appendChild(cell);
        else td.textContent = cell === undefined || cell === null ? '' : String(cell);
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    t.appendChild(tbody);
    return t;
  }
  function badge(kind, text) { return el('span', {className: 'badge ' + kind, text: text || kind}); }
  function empty(text) { return el('p', {className: 'empty', text: text}); }
  function label(doc) {
    return (doc.started_at || doc.generated_at || doc.date || '') || ('run ' + (docs.indexOf(doc) + 1));
  }
  function ofKind(kinds) { return docs.filter(function (d) { return kinds.indexOf(d.kind) >= 0; }); }
  function latest(kinds) { var list = ofKind(kinds); return list.length ? list[list.length - 1] : null; }
  var severityRank = {error: 0, warning: 1, info: 2};

  // ---- header ----------------------------------------------------------------------------------
  var kinds = {};
  docs.forEach(function (d) { kinds[d.kind || 'unknown'] = (kinds[d.kind || 'unknown'] || 0) + 1; });
  document.getElementById('sources').textContent = docs.length + ' result' + (docs.length === 1 ? '' : 's') +
      ' (' + Object.keys(kinds).map(function (k) { return kinds[k] + ' ' + k; }).join(', ') + ')' +
      (docs.length ? ', ' + label(docs[0]) + ' to ' + label(docs[docs.length - 1]) : '');

  // ---- latest health: one card per target --------------------------------------------------------
  var health = latest(['health']);
  if (health && Array.isArray(health.targets)) {
    var s = section('Targets (latest health check, ' + label(health) + ')', 'targets');
    var cards = el('div', {className: 'cards'});
    health.targets.forEach(function (t) {
      var counts = {error: 0, warning: 0, info: 0};
      (t.findings || []).forEach(function (f) { counts[f.severity] = (counts[f.severity] || 0) + 1; });
      var state = t.up ? (counts.error ? badge('error', 'errors') : counts.warning ? badge('warning', 'warnings')
                                                                                  : badge('ok', 'healthy'))
                       : badge('down', 'down');
      cards.appendChild(el('div', {className: 'card'},
          el('div', {className: 'name'}, (t.name || t.url || '') + ' '), state,
          el('div', {className: 'engine', text: (t.engine || '') + ' ' + (t.server_version || '')}),
          el('div', {className: 'counts', text: t.up ? counts.error + ' errors, ' + counts.warning + ' warnings, ' +
                                                      counts.info + ' info, ' + seconds(t.seconds)
                                                    : (t.error || 'unreachable')})));
    });
    s.appendChild(cards);
  }

  // ---- findings ranked -------------------------------------------------------------------------
  var findings = [];
  if (health) {
    (health.targets || []).forEach(function (t) {
      (t.findings || []).forEach(function (f) {
        findings.push({severity: f.severity, source: t.name, id: f.check, object: f.object, message: f.message,
                       cost: 0});
      });
    });
  }
  var audit = latest(['audit', 'advise']);
  if (audit && Array.isArray(audit.findings)) {
    var auditTarget = audit.target && (audit.target.name || audit.target.url || audit.target.engine) || 'audit';
    audit.findings.forEach(function (f) {
      findings.push({severity: f.severity, source: auditTarget, id: f.rule, object: f.table || f.query_id,
                     message: f.message, cost: typeof f.cost === 'number' ? f.cost : 0});
    });
  }
  // What the plan rules found in the auto_explain plans of the latest digest's classes.
  var digested = latest(['digest']);
  if (digested && Array.isArray(digested.classes)) {
    digested.classes.forEach(function (c) {
      (c.plan_findings || []).forEach(function (f) {
        findings.push({severity: f.severity, source: 'digest (auto_explain plan)', id: f.rule,
                       object: f.table || f.query_id, message: f.message, cost: typeof f.cost === 'number' ? f.cost : 0});
      });
    });
  }
  findings.sort(function (a, b) {
    var r = (severityRank[a.severity] === undefined ? 3 : severityRank[a.severity]) -
            (severityRank[b.severity] === undefined ? 3 : severityRank[b.severity]);
    return r !== 0 ? r : b.cost - a.cost;
  });
  // The charts come first, right under the targets: what changed is what a reader looks for.
  var ts = section('Charts and trends over runs', 'trends');
  var grid = el('div', {className: 'charts'});
  ts.appendChild(grid);
  var fs = section('Findings, most severe and costly first', 'findings');
  if (!findings.length) fs.appendChild(empty(docs.length ? 'No findings.' : 'No results were given.'));
  else {
    fs.appendChild(table(['Severity', 'Target', 'Check', 'Object', 'Finding', 'Cost'],
        findings.map(function (f) {
          return [badge(f.severity || 'info'), f.source, f.id, f.object, f.message, f.cost ? (f.cost < 1 ? f.cost.toPrecision(2) : num(f.cost)) : ''];
        }), [false, false, false, false, false, true]));
  }

  // ---- top queries and plans -------------------------------------------------------------------
  function planText(plan, depth) {
    if (!plan || typeof plan !== 'object') return '';
    var node = plan.root || plan;
    var line = '  '.repeat(depth) + (depth ? '-> ' : '') + (node.operation || node.kind || node['Node Type'] || 'node');
    if (node.relation) line += ' on ' + node.relation;
    if (node.index) line += ' using ' + node.index;
    var extra = [];
    if (typeof node.estimated_rows === 'number') extra.push('rows=' + num(node.estimated_rows, 0));
    if (typeof node.actual_rows === 'number') extra.push('actual=' + num(node.actual_rows, 0));
    if (typeof node.actual_time_ms === 'number') extra.push('time=' + num(node.actual_time_ms) + ' ms');
    if (typeof node.total_cost === 'number') extra.push('cost=' + num(node.total_cost));
    if (extra.length) line += '  (' + extra.join(' ') + ')';
    var text = line + '\n';
    (node.children || []).forEach(function (child) { text += planText(child, depth + 1); });
    return text;
  }
  // A digest class's plan comes with what the plan rules found in it (plan_findings), shown under
  // it, or why it could not be analyzed (plan_error).
  function planCell(plan, findings, error) {
    if (!plan) return '';
    var text = typeof plan === 'string' ? plan : planText(plan, 0);
    if (!text.trim()) text = JSON.stringify(plan, null, 2);
    var found = findings || [];
    var summary = 'plan' + (found.length ? ', ' + found.length + ' finding' + (found.length === 1 ? '' : 's') : '');
    var cell = el('div', null, el('details', null, el('summary', {text: summary}), el('pre', {text: text})));
    if (error) cell.appendChild(el('p', {className: 'muted', text: 'not analyzed: ' + error}));
    found.forEach(function (f) {
      cell.appendChild(el('p', null, badge(f.severity || 'info'), ' ', el('code', {text: f.rule}), ' ' + f.message));
    });
    return cell;
  }
  // A digest class's detail, as pt-query-digest prints it: the attribute table and the
  // distribution of its times over decades.
  function classDetail(c) {
    var qt = c.query_time || {};
    var rows = [['Exec time', seconds(qt.sum), seconds(qt.min), seconds(qt.max), seconds(qt.avg), seconds(qt.p50),
                 seconds(qt.p95), seconds(qt.p99), seconds(qt.stddev)]];
    if (c.lock_time) {
      var lt = c.lock_time;
      rows.push(['Lock time', seconds(lt.sum), seconds(lt.min), seconds(lt.max), seconds(lt.avg), '', '', '', '']);
    }
    [['rows_sent', 'Rows sent'], ['rows_examined', 'Rows examined'], ['rows_affected', 'Rows affected'],
     ['bytes_sent', 'Bytes sent']].forEach(function (pair) {
      var m = c[pair[0]];
      if (m) rows.push([pair[1], num(m.sum, 0), num(m.min, 0), num(m.max, 0), num(m.avg), '', '', '', '']);
    });
    // pt-query-digest's depth (docs/json/digest.md, "attributes"): every attribute the log gave.
    if (c.attributes) {
      var times = {Query_time: 1, Lock_time: 1, InnoDB_IO_r_wait: 1, InnoDB_rec_lock_wait: 1, InnoDB_queue_wait: 1};
      rows = Object.keys(c.attributes).map(function (k) {
        var a = c.attributes[k];
        var f = times[k] ? seconds : function (v) { return num(v, 0); };
        return [k, f(a.total), f(a.min), f(a.max), f(a.avg), f(a.median), f(a.p95), num(100 * a.pct, 0) + '%',
                f(a.stddev)];
      });
    }
    var detail = el('details', {className: 'class-detail'}, el('summary', {text: 'detail'}),
        table(['Attribute', 'Total', 'Min', 'Max', 'Avg', 'Median', '95%', c.attributes ? 'Share' : '99%', 'Stddev'],
              rows, [false, true, true, true, true, true, true, true, true]));
    var facts = [];
    if (c.first_seen) facts.push('seen ' + c.first_seen + ' to ' + c.last_seen);
    [['databases', 'database_counts'], ['users', 'user_counts'], ['hosts', 'host_counts'],
     ['Last_errno', 'last_errno_counts']].forEach(function (p) {
      if (c[p[1]] && Object.keys(c[p[1]]).length) facts.push(p[0] + ': ' + counts(c[p[1]]));
      else if (c[p[0]] && c[p[0]].length) facts.push(p[0] + ': ' + c[p[0]].join(', '));
    });
    var flags = Object.keys(c.booleans || {}).filter(function (k) { return c.booleans[k] > 0; });
    if (flags.length) facts.push(flags.map(function (k) { return k + ' ' + num(100 * c.booleans[k], 0) + '%'; }).join(', '));
    if (c.tables && c.tables.length) facts.push('tables: ' + c.tables.join(', '));
    if (typeof c.distinct_parameters === 'number') facts.push('~' + num(c.distinct_parameters, 0) + ' distinct parameter sets');
    if (facts.length) detail.appendChild(el('p', {className: 'muted', text: facts.join('; ')}));
    if (c.histogram) {
      var names = Object.keys(c.histogram);
      var most = Math.max.apply(null, names.map(function (k) { return c.histogram[k]; }).concat([1]));
      detail.appendChild(table(['Query time', 'Count', ''], names.map(function (k) {
        var n = c.histogram[k];
        return [k, num(n, 0), n ? '#'.repeat(Math.max(1, Math.round(40 * n / most))) : ''];
      }), [false, true, false]));
    }
    if (c.example && c.example.sql) detail.appendChild(el('pre', {text: c.explain || c.example.sql}));
    return detail;
  }
  function counts(map) {
    return Object.keys(map || {}).map(function (k) { return (k || '-') + ' ' + num(map[k], 0); }).join(', ');
  }
  // What a PostgreSQL log says besides its statements (docs/json/digest.md, "server").
  function serverActivity(s, from) {
    var ss = section('Server activity, ' + from, 'server');
    var any = false;
    var cp = s.checkpoints || {};
    if (cp.count || Object.keys(cp.by_cause || {}).length) {
      any = true;
      ss.appendChild(el('h3', {text: 'Checkpoints'}));
      ss.appendChild(table(['Complete', 'Buffers written', 'Write', 'Sync', 'Total', 'Longest', 'Started by'],
          [[num(cp.count, 0), num(cp.buffers_written, 0), seconds((cp.write_time || {}).sum),
            seconds((cp.sync_time || {}).sum), seconds((cp.total_time || {}).sum), seconds((cp.total_time || {}).max),
            counts(cp.by_cause)]], [true, true, true, true, true, true, false]));
    }
    var tf = s.temp_files || {};
    if (tf.count) {
      any = true;
      ss.appendChild(el('h3', {text: 'Temporary files: ' + num(tf.count, 0) + ', ' + bytes(tf.total_size) +
          ' in all, largest ' + bytes(tf.max_size)}));
      ss.appendChild(table(['Size', 'When', 'Database', 'Query'], (tf.largest || []).map(function (f) {
        return [bytes(f.size), f.timestamp || '', f.database || '', el('code', {text: f.query || ''})];
      }), [true, false, false, false]));
    }
    var lk = s.locks || {};
    if (lk.waits || lk.acquired || lk.deadlocks) {
      any = true;
      ss.appendChild(el('h3', {text: 'Locks: ' + num(lk.waits, 0) + ' waits, ' + num(lk.acquired, 0) +
          ' acquired after waiting, ' + num(lk.deadlocks, 0) + ' deadlocks'}));
      var types = lk.by_type || {};
      ss.appendChild(table(['Lock', 'Waits', 'Acquired', 'Waited', 'On'], Object.keys(types).map(function (t) {
        var x = types[t];
        return [t, num(x.waits, 0), num(x.acquired, 0), seconds(x.acquired_wait_time), counts(x.objects)];
      }), [false, true, true, true, false]));
    }
    [['autovacuum', 'Autovacuum'], ['autoanalyze', 'Autoanalyze']].forEach(function (pair) {
      var av = s[pair[0]] || {};
      if (!av.count) return;
      any = true;
      ss.appendChild(el('h3', {text: pair[1] + ': ' + num(av.count, 0) + ' runs'}));
      var tables = av.tables || {};
      ss.appendChild(table(['Table', 'Runs', 'Pages removed', 'Tuples removed'], Object.keys(tables).map(function (t) {
        var x = tables[t];
        return [t, num(x.count, 0), num(x.pages_removed, 0), num(x.tuples_removed, 0)];
      }), [false, true, true, true]));
    });
    var cn = s.connections || {};
    var se = s.sessions || {};
    if (cn.count || se.count) {
      any = true;
      ss.appendChild(el('h3', {text: 'Connections and sessions'}));
      ss.appendChild(table(['', 'Count', 'By database', 'By user', 'By host'], [
        ['Connections', num(cn.count, 0), counts(cn.by_database), counts(cn.by_user), counts(cn.by_host)],
        ['Sessions (avg ' + seconds((se.time || {}).avg) + ')', num(se.count, 0),
         counts(Object.fromEntries(Object.entries(se.by_database || {}).map(function (e) { return [e[0], e[1].count]; }))),
         counts(Object.fromEntries(Object.entries(se.by_user || {}).map(function (e) { return [e[0], e[1].count]; }))),
         counts(Object.fromEntries(Object.entries(se.by_host || {}).map(function (e) { return [e[0], e[1].count]; })))]
      ], [false, true, false, false, false]));
    }
    var er = s.errors || {};
    if (er.count) {
      any = true;
      ss.appendChild(el('h3', {text: 'Errors: ' + num(er.count, 0) + ' (' + counts(er.by_severity) + ')' +
          (Object.keys(er.by_sqlstate_class || {}).length ? '; SQLSTATE classes ' + counts(er.by_sqlstate_class) : '')}));
      ss.appendChild(table(['Count', 'Severity', 'Message', 'Example'], (er.top || []).map(function (e) {
        return [num(e.count, 0), e.severity, el('code', {text: e.message}), e.example];
      }), [true, false, false, false]));
    }
    if (!any) ss.appendChild(empty('No checkpoints, temporary files, locks, autovacuum, connections or errors in this log.'));
  }
  // ---- a digest's classes over the log's own time (docs/json/digest.md, "time_buckets") --------
  // Window widths nest (each divides the next), so every class's windows add up exactly into the
  // page's windows: the narrowest width at least the overall one that keeps the span to 150 bars.
  var windowWidths = [1, 10, 60, 300, 900, 3600, 21600, 86400, 604800, 2419200, 9676800, 38707200, 154828800,
                      619315200, 2477260800];
  function epochSeconds(iso) { return Math.round(Date.parse(iso) / 1000); }
  function logWindows(overall) {
    var tb = overall && overall.time_buckets;
    if (!tb || !Array.isArray(tb.buckets) || !tb.buckets.length) return null;
    var first = epochSeconds(tb.buckets[0].start);
    var last = epochSeconds(tb.buckets[tb.buckets.length - 1].start);
    var width = windowWidths.filter(function (w) {
      return w >= tb.width && Math.floor(last / w) - Math.floor(first / w) < 150;
    })[0] || windowWidths[windowWidths.length - 1];
    var from = Math.floor(first / width) * width;
    var n = Math.floor(last / width) - Math.floor(first / width) + 1;
    var labels = [];
    for (var i = 0; i < n; i++) {
      var iso = new Date((from + i * width) * 1000).toISOString();
      labels.push(width >= 86400 ? iso.slice(0, 10) : width >= 60 ? iso.slice(0, 16).replace('T', ' ')
                                                                  : iso.slice(0, 19).replace('T', ' '));
    }
    return {width: width, from: from, labels: labels};
  }
  // A class's (or the log's) calls and total time per page window, zeros where it had none.
  function windowSeries(tb, windows) {
    var calls = windows.labels.map(function () { return 0; });
    var time = windows.labels.map(function () { return 0; });
    ((tb && tb.buckets) || []).forEach(function (b) {
      var i = Math.floor((epochSeconds(b.start) - windows.from) / windows.width);
      if (i < 0 || i >= calls.length) return;
      calls[i] += b.count;
      time[i] += b.total_time;
    });
    return {calls: calls, time: time};
  }
  function widthName(seconds) {
    var units = [[604800, 'week'], [86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
    for (var i = 0; i < units.length; i++) {
      if (seconds % units[i][0] === 0) {
        var n = seconds / units[i][0];
        return n === 1 ? units[i][1] : n + ' ' + units[i][1] + 's';
      }
    }
    return seconds + ' s';
  }
  // Calls as bars on the left axis, total time as a line on the right one.
  function callsAndTimeConfig(windows, series, compact) {
    var axis = function (position, title, format) {
      return {position: position, beginAtZero: true, display: !compact, grid: {drawOnChartArea: position === 'left'},
              title: {display: !compact, text: title},
              ticks: {callback: function (v) { return format ? format(v) : num(v, 0); }}};
    };
    return {
      type: 'bar',
      data: {labels: windows.labels, datasets: [
        {type: 'bar', label: 'calls', data: series.calls, backgroundColor: '#84adff', yAxisID: 'y', order: 2},
        {type: 'line', label: 'total time', data: series.time, borderColor: '#c0262d', backgroundColor: '#c0262d',
         yAxisID: 'y1', pointRadius: compact || windows.labels.length > 60 ? 0 : 2, borderWidth: compact ? 1 : 2, tension: 0.2, order: 1}]},
      options: {animation: false, responsive: true, maintainAspectRatio: false,
                plugins: {legend: {display: !compact, position: 'bottom', labels: {boxWidth: 10}},
                          tooltip: {callbacks: {label: function (ctx) {
                            return ctx.dataset.label + ': ' + (ctx.dataset.yAxisID === 'y1' ? seconds(ctx.parsed.y)
                                                                                            : num(ctx.parsed.y, 0));
                          }}}},
                scales: {x: {display: !compact, ticks: {maxTicksLimit: 6, maxRotation: 0}}, y: axis('left', 'calls'),
                         y1: axis('right', 'total time', seconds)}}
    };
  }

  // Drawn with the other charts, at the end: a small chart of one class, axes left out.
  var classCharts = [];
  function classTrend(c, windows) {
    if (!c.time_buckets) return '';
    var canvas = el('canvas', {role: 'img', 'aria-label': 'calls and time of ' + (c.fingerprint || c.id || '')});
    classCharts.push([canvas, callsAndTimeConfig(windows, windowSeries(c.time_buckets, windows), true)]);
    return el('div', {className: 'spark'}, canvas);
  }

  var qs = section('Top queries', 'queries');
  var anyQueries = false;
  var digest = latest(['digest', 'capture']);
  var windows = digest ? logWindows(digest.overall) : null;
  if (digest && Array.isArray(digest.classes) && digest.classes.length) {
    anyQueries = true;
    qs.appendChild(el('h3', {text: 'Digest, ' + label(digest)}));
    // A Plan column only when some class has one (a capture's EXPLAIN, a log's auto_explain plans).
    var shown = digest.classes.slice(0, 20);
    var plans = shown.some(function (c) { return c.plan; });
    // With time buckets, each class's calls and time over the log's span, on the same windows.
    var trends = windows ? ['Calls and time, ' + windows.labels[0] + ' to ' + windows.labels[windows.labels.length - 1] +
                            ' (per ' + widthName(windows.width) + ')'] : [];
    qs.appendChild(table(['Query', 'Count', 'Total', 'p95', 'p99'].concat(trends).concat(plans ? ['Plan'] : []),
        shown.map(function (c) {
          var qt = c.query_time || {};
          var trend = windows ? [classTrend(c, windows)] : [];
          return [el('div', null, el('code', {text: c.fingerprint || c.example || c.id || ''}), classDetail(c)),
                  num(c.count, 0), seconds(qt.sum), seconds(qt.p95), seconds(qt.p99)].concat(trend)
                  .concat(plans ? [planCell(c.plan, c.plan_findings, c.plan_error)] : []);
        }), [false, true, true, true, true].concat(windows ? [false] : []).concat(plans ? [false] : [])));
  }
  if (digest && digest.server) serverActivity(digest.server, label(digest));
  var auditQueries = audit && (audit.queries || audit.classes);
  if (Array.isArray(auditQueries) && auditQueries.length) {
    anyQueries = true;
    qs.appendChild(el('h3', {text: 'Audit, ' + label(audit)}));
    qs.appendChild(table(['Query', 'Calls', 'Total', 'Mean', 'Plan'],
        auditQueries.slice(0, 20).map(function (c) {
          var qt = c.query_time || {};
          var total = qt.sum !== undefined ? qt.sum : (c.total_time_s !== undefined ? c.total_time_s : c.total_seconds);
          var mean = typeof c.avg_time_ms === 'number' ? c.avg_time_ms / 1000 : qt.avg;
          return [el('code', {text: c.example || c.fingerprint || c.sql || c.query || c.query_id || c.id || ''}),
                  num(c.count || c.calls, 0), seconds(total), seconds(mean), planCell(c.plan)];
        }), [false, true, true, true, false]));
  }
  if (health) {
    (health.targets || []).forEach(function (t) {
      if (!Array.isArray(t.top_queries) || !t.top_queries.length) return;
      anyQueries = true;
      qs.appendChild(el('h3', {text: t.name + ' (' + t.engine + '), by total time'}));
      qs.appendChild(table(['Query', 'Calls', 'Total', 'Mean'],
          t.top_queries.map(function (q) {
            return [el('code', {text: q.query}), num(q.calls, 0), seconds(q.total_seconds), seconds(q.mean_seconds)];
          }), [false, true, true, true]));
    });
  }
  if (!anyQueries) qs.appendChild(empty('No query statistics in these results (pg_stat_statements, digest, audit).'));

  // ---- recommendations -------------------------------------------------------------------------
  var recs = audit && Array.isArray(audit.recommendations) ? audit.recommendations.slice() : [];
  if (recs.length) {
    recs.sort(function (a, b) { return (b.improvement || 0) - (a.improvement || 0); });
    var rs = section('Recommendations', 'recommendations');
    rs.appendChild(table(['Type', 'Table', 'What to do', 'Cost before', 'Cost after', 'Gain', 'Verified'],
        recs.map(function (r) {
          return [r.type, r.table, el('code', {text: r.ddl || (r.columns || []).join(', ') || r.rationale || ''}),
                  num(r.cost_before), num(r.cost_after),
                  typeof r.improvement === 'number' ? num(r.improvement * 100, 1) + '%' : '', r.verified];
        }), [false, false, false, true, true, true, false]));
  }

  // ---- bench comparisons -----------------------------------------------------------------------
  var compare = latest(['compare']);
  var bench = latest(['bench']);
  var benchSummary = bench && bench.dbvet && Array.isArray(bench.dbvet.summary) ? bench.dbvet.summary : [];
  if ((compare && Array.isArray(compare.comparisons)) || (bench && Array.isArray(bench.benchmarks))) {
    var bs = section('Benchmarks', 'bench');
    if (compare && Array.isArray(compare.comparisons)) {
      // The compare document (docs/json/compare.md): medians, the ratio with its interval, the
      // p-value adjusted within the row's family, and the note an inconclusive row carries.
      if (compare.summary && compare.summary.line) bs.appendChild(el('p', {text: compare.summary.line}));
      var pct = function (ratio) {
        return typeof ratio === 'number' ? (ratio >= 1 ? '+' : '') + num((ratio - 1) * 100, 1) + '%' : '';
      };
      bs.appendChild(table(['Query', 'Metric', 'Base', 'Head', 'Change (95% CI)', 'p', 'Verdict'],
          compare.comparisons.map(function (c) {
            var ci = Array.isArray(c.ratio_ci95) ? ' (' + pct(c.ratio_ci95[0]) + ' … ' + pct(c.ratio_ci95[1]) + ')' : '';
            var verdict = c.verdict === 'regressed' ? badge('error', 'regressed')
                        : c.verdict === 'inconclusive' ? badge('warning', 'inconclusive') : c.verdict;
            return [c.name, c.metric, num((c.base || {}).median, 3) + ' ' + (c.unit || ''),
                    num((c.head || {}).median, 3) + ' ' + (c.unit || ''), pct(c.ratio) + ci,
                    typeof c.p_adjusted === 'number' ? c.p_adjusted.toPrecision(2) : '',
                    c.note ? el('span', null, verdict, ' (' + c.note + ')') : verdict];
          }), [false, false, true, true, true, true, false]));
    }
    if (benchSummary.length) {
      bs.appendChild(el('h3', {text: 'Per query and variant, ' + label(bench)}));
      bs.appendChild(table(['Query', 'Variant', 'Throughput', 'p50', 'p95', 'p99', 'Errors', 'Cache hits', 'Answer'],
          benchSummary.map(function (b) {
            var lat = b.latency || {};
            var ms = function (v) { return typeof v === 'number' ? seconds(v / 1000) : ''; };
            return [b.query, b.variant, num(b.throughput, 1) + '/s', ms(lat.p50_ms), ms(lat.p95_ms), ms(lat.p99_ms),
                    num(b.errors, 0), b.cache ? num(b.cache.hit_ratio * 100, 1) + '%' : '',
                    b.answer === 'changed' ? badge('error', 'changed') : (b.answer || '')];
          }), [false, false, true, true, true, true, true, true, false]));
      (bench.dbvet.slas || []).forEach(function (sla) {
        bs.appendChild(el('p', null, badge(sla.passed ? 'info' : 'error', sla.passed ? 'SLA held' : 'SLA broken'),
                          ' ' + sla.sla + (sla.query ? ' (' + sla.query + (sla.variant ? ', ' + sla.variant : '') + ')' : '')));
      });
    } else if (bench && Array.isArray(bench.benchmarks)) {
      bs.appendChild(table(['Benchmark', 'Time', 'Unit', 'Iterations'],
          bench.benchmarks.slice(0, 200).map(function (b) {
            return [b.name || b.run_name, num(b.real_time), b.time_unit, num(b.iterations, 0)];
          }), [false, true, false, true]));
    }
  }

  // ---- trends over runs ------------------------------------------------------------------------
  var palette = ['#1570ef', '#c0262d', '#067647', '#b54708', '#6941c6', '#0e9384', '#dd2590', '#475467'];
  var chartsExpected = 0;
  var chartsRendered = 0;
  var markerPlugin = {
    id: 'dbvetMarker',
    afterRender: function (chart) {
      if (chart.$dbvetRendered) return;
      chart.$dbvetRendered = true;
      chartsRendered += 1;
      body.setAttribute('data-charts-rendered', String(chartsRendered));
    }
  };
  var pending = [];
  function addChart(title, config) {
    var canvas = el('canvas', {role: 'img', 'aria-label': title});
    grid.appendChild(el('div', {className: 'chart'}, el('h3', {text: title}),
                        el('div', {className: 'canvas-box'}, canvas)));
    chartsExpected += 1;
    pending.push([canvas, config]);
  }
  // The log's calls and time over its span, and the time of its costliest classes.
  if (windows) {
    var overallSeries = windowSeries(digest.overall.time_buckets, windows);
    addChart('Calls and query time over the log, per ' + widthName(windows.width),
             callsAndTimeConfig(windows, overallSeries, false));
    var costly = (digest.classes || []).slice().sort(function (a, b) {
      return ((b.query_time || {}).sum || 0) - ((a.query_time || {}).sum || 0);
    }).slice(0, 6).filter(function (c) { return c.time_buckets; });
    var rest = overallSeries.time.slice();
    var stacks = costly.map(function (c, i) {
      var own = windowSeries(c.time_buckets, windows).time;
      own.forEach(function (v, k) { rest[k] = Math.max(0, rest[k] - v); });
      var name = String(c.fingerprint || c.id);
      return {label: name.length > 32 ? name.slice(0, 31) + '…' : name, data: own,
              backgroundColor: palette[i % palette.length]};
    });
    if (stacks.length) {
      stacks.push({label: 'other classes', data: rest, backgroundColor: '#d0d5dd'});
      addChart('Query time by class over the log, per ' + widthName(windows.width), {
        type: 'bar', data: {labels: windows.labels, datasets: stacks},
        options: {animation: false, responsive: true, maintainAspectRatio: false,
                  plugins: {legend: {position: 'bottom', labels: {boxWidth: 8, font: {size: 10}}}},
                  scales: {x: {stacked: true, ticks: {maxTicksLimit: 6, maxRotation: 0}},
                           y: {stacked: true, beginAtZero: true, title: {display: true, text: 'total time'},
                               ticks: {callback: function (v) { return seconds(v); }}}}}
      });
    }
  }
  function lineConfig(labels, series, yTitle, yFormat) {
    return {
      type: 'line',
      data: {labels: labels, datasets: series.map(function (s, i) {
        return {label: s.label, data: s.data, borderColor: palette[i % palette.length],
                backgroundColor: palette[i % palette.length], spanGaps: true, tension: 0.2, pointRadius: 3};
      })},
      options: {animation: false, responsive: true, maintainAspectRatio: false,
                plugins: {legend: {position: 'bottom', labels: {boxWidth: 10}}},
                scales: {y: {title: {display: true, text: yTitle},
                             ticks: {callback: function (v) { return yFormat ? yFormat(v) : v; }}}}}
    };
  }
  function metricSeries(runs, name, keyOf, filter) {
    var series = {};
    runs.forEach(function (doc, runIndex) {
      (doc.targets || []).forEach(function (t) {
        (t.metrics || []).forEach(function (m) {
          if (m.name !== name || (filter && !filter(m))) return;
          var key = keyOf(t, m);
          if (!series[key]) series[key] = {label: key, data: runs.map(function () { return null; })};
          series[key].data[runIndex] = m.value;
        });
      });
    });
    return Object.keys(series).sort().map(function (k) { return series[k]; });
  }

  var healthRuns = ofKind(['health']);
  var runLabels = healthRuns.map(label);
  if (healthRuns.length) {
    var severities = ['error', 'warning', 'info'];
    var colors = {error: '#c0262d', warning: '#f79009', info: '#1570ef'};
    addChart('Findings per run', {
      type: 'bar',
      data: {labels: runLabels, datasets: severities.map(function (sev) {
        return {label: sev, backgroundColor: colors[sev], data: healthRuns.map(function (doc) {
          var n = 0;
          (doc.targets || []).forEach(function (t) {
            (t.findings || []).forEach(function (f) { if (f.severity === sev) n += 1; });
          });
          return n;
        })};
      })},
      options: {animation: false, responsive: true, maintainAspectRatio: false,
                plugins: {legend: {position: 'bottom'}},
                scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}}}
    });
    var hit = metricSeries(healthRuns, 'dbvet_cache_hit_ratio',
                           function (t, m) { return t.name + ' ' + ((m.labels || {}).cache || ''); });
    if (hit.length) {
      addChart('Cache hit ratio', lineConfig(runLabels, hit, 'hit ratio',
                                             function (v) { return num(v * 100, 1) + '%'; }));
    }
    var sizes = metricSeries(healthRuns, 'dbvet_table_size_bytes',
                             function (t, m) { return t.name + ' ' + ((m.labels || {}).table || ''); });
    sizes.sort(function (a, b) { return (b.data[b.data.length - 1] || 0) - (a.data[a.data.length - 1] || 0); });
    if (sizes.length) addChart('Table growth (largest tables)', lineConfig(runLabels, sizes.slice(0, 8), 'size', bytes));
  }
  // p95 of the top queries: from digests (a true p95) or, lacking those, the mean time per call
  // from pg_stat_statements in the health runs.
  var digestRuns = ofKind(['digest', 'capture']);
  if (digestRuns.length) {
    var last = digestRuns[digestRuns.length - 1];
    var top = (last.classes || []).slice().sort(function (a, b) {
      return ((b.query_time || {}).sum || 0) - ((a.query_time || {}).sum || 0);
    }).slice(0, 6).map(function (c) { return c.id || c.fingerprint; });
    var series = top.map(function (id) {
      var named = (last.classes || []).filter(function (c) { return (c.id || c.fingerprint) === id; })[0] || {};
      var name = String(named.fingerprint || id);
      return {label: name.length > 48 ? name.slice(0, 47) + '…' : name, data: digestRuns.map(function (doc) {
        var match = (doc.classes || []).filter(function (c) { return (c.id || c.fingerprint) === id; })[0];
        return match && match.query_time ? match.query_time.p95 : null;
      })};
    });
    // One run is one point per class: no chart until a second run (the note below says so).
    if (series.length && digestRuns.length > 1) {
      addChart('p95 of the top queries', lineConfig(digestRuns.map(label), series, 'p95', seconds));
    }
  } else if (healthRuns.length) {
    var queryKeys = {};
    var lastHealth = healthRuns[healthRuns.length - 1];
    (lastHealth.targets || []).forEach(function (t) {
      (t.top_queries || []).slice(0, 3).forEach(function (q) { queryKeys[t.name + ': ' + q.query] = true; });
    });
    var qseries = Object.keys(queryKeys).slice(0, 6).map(function (key) {
      return {label: key.slice(0, 60), data: healthRuns.map(function (doc) {
        var value = null;
        (doc.targets || []).forEach(function (t) {
          (t.top_queries || []).forEach(function (q) { if (t.name + ': ' + q.query === key) value = q.mean_seconds; });
        });
        return value;
      })};
    });
    if (qseries.length) addChart('Mean time of the top queries', lineConfig(runLabels, qseries, 'mean', seconds));
  }
  // The audit's recommendations: plan cost before and after each.
  var costed = recs.filter(function (r) { return typeof r.cost_before === 'number' && typeof r.cost_after === 'number'; });
  if (costed.length) {
    var recLabels = costed.slice(0, 8).map(function (r) {
      return String(r.table || r.type) + ': ' + String((r.columns || []).join(', ') || r.type).slice(0, 40);
    });
    addChart('Plan cost before and after each recommendation', {
      type: 'bar',
      data: {labels: recLabels, datasets: [
        {label: 'before', backgroundColor: '#c0262d', data: costed.slice(0, 8).map(function (r) { return r.cost_before; })},
        {label: 'after', backgroundColor: '#067647', data: costed.slice(0, 8).map(function (r) { return r.cost_after; })}]},
      options: {animation: false, responsive: true, maintainAspectRatio: false, indexAxis: 'y',
                plugins: {legend: {position: 'bottom'}}, scales: {x: {type: 'logarithmic', title: {display: true, text: 'plan cost'}}}}
    });
  }
  // Audits over runs: findings per severity.
  var auditRuns = ofKind(['audit']);
  if (auditRuns.length > 1) {
    var sevs = ['error', 'warning', 'info'];
    var sevColors = {error: '#c0262d', warning: '#f79009', info: '#1570ef'};
    addChart('Audit findings per run', {
      type: 'bar',
      data: {labels: auditRuns.map(label), datasets: sevs.map(function (sev) {
        return {label: sev, backgroundColor: sevColors[sev], data: auditRuns.map(function (doc) {
          return (doc.findings || []).filter(function (f) { return f.severity === sev; }).length;
        })};
      })},
      options: {animation: false, responsive: true, maintainAspectRatio: false, plugins: {legend: {position: 'bottom'}},
                scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}}}
    });
  }
  // The latest bench: p95 per query, one bar per variant.
  if (benchSummary.length) {
    var benchQueries = [];
    var benchVariants = [];
    benchSummary.forEach(function (b) {
      if (benchQueries.indexOf(b.query) < 0) benchQueries.push(b.query);
      if (benchVariants.indexOf(b.variant) < 0) benchVariants.push(b.variant);
    });
    addChart('Bench p95 latency per query and variant', {
      type: 'bar',
      data: {labels: benchQueries, datasets: benchVariants.map(function (v, i) {
        return {label: v, backgroundColor: palette[i % palette.length], data: benchQueries.map(function (q) {
          var match = benchSummary.filter(function (b) { return b.query === q && b.variant === v; })[0];
          return match && match.latency ? match.latency.p95_ms : null;
        })};
      })},
      options: {animation: false, responsive: true, maintainAspectRatio: false, plugins: {legend: {position: 'bottom'}},
                scales: {y: {beginAtZero: true, title: {display: true, text: 'p95 (ms)'}}}}
    });
  }
  if (!chartsExpected) ts.appendChild(empty('No runs with trend data (health, digest) in these results.'));
  else if (!windows && healthRuns.length < 2 && digestRuns.length < 2 && auditRuns.length < 2) {
    ts.appendChild(el('p', {className: 'muted', text: 'One run so far: trends appear from the second run on.'}));
  }

  classCharts.forEach(function (p) {
    chartsExpected += 1;
    pending.push(p);
  });
  body.setAttribute('data-charts-expected', String(chartsExpected));
  body.setAttribute('data-charts-rendered', '0');
  if (typeof Chart === 'undefined') throw new Error('Chart.js is missing from this page');
  Chart.register(markerPlugin);
  pending.forEach(function (p) { new Chart(p[0], p[1]); });
})();
