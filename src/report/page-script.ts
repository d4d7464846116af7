// Over ~400 lines on purpose: the page's whole script is one inline string (CSP-hashed), not modules.
// The report page's script (inline in the page; allowed by its Content-Security-Policy hash).
// Plain DOM and SVG, no libraries, no network except the live page polling its own JSON. Every
// text from the data goes through textContent or SVG text nodes: never innerHTML.
// (Written without template literals so that it can live in this String.raw template.)
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var STACK_ORDER = ['queue_wait', 'initialization', 'llm_processing', 'tool_execution', 'external_api', 'database_query',
    'websocket_notification', 'uncategorized', 'overhead'];
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var R = data.report;
  var st = { selected: null, collapsed: {}, zoom: null, current: 0, detailRow: null, window: null, filter: '',
    sortKey: 'startOffsetMs', sortDir: -1, focusCol: 0, version: data.version, lastPointer: 'mouse' };
  var byId = {};

  // ---- helpers --------------------------------------------------------------------------------
  function h(tag, attrs, children) { var n = document.createElement(tag); setAll(n, attrs); append(n, children); return n; }
  function s(tag, attrs, children) { var n = document.createElementNS(NS, tag); setAll(n, attrs); append(n, children); return n; }
  function setAll(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'style') Object.keys(v).forEach(function (p) { node.style[p] = v[p]; });
      else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, String(v));
    });
  }
  function append(node, children) {
    if (children === undefined || children === null) return;
    (Array.isArray(children) ? children : [children]).forEach(function (c) {
      if (c === undefined || c === null || c === false || c === '') return;
      node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
  }
  function body(id) { var b = document.querySelector('#' + id + ' .body'); b.textContent = ''; return b; }
  function note(id, text) { var n = document.querySelector('#' + id + ' header .note'); if (n) n.textContent = text; }
  function fmtMs(v) {
    if (v === undefined || v === null || !isFinite(v)) return '–';
    if (v >= 10000) return (v / 1000).toFixed(1) + ' s';
    if (v >= 100) return Math.round(v).toLocaleString('en-US') + ' ms';
    if (v >= 10) return v.toFixed(1) + ' ms';
    return v.toFixed(2) + ' ms';
  }
  function fmtPct(v, d) { return isFinite(v) ? v.toFixed(d === undefined ? 1 : d) + ' %' : '–'; }
  function color(cat) { return (data.categories[cat] && data.categories[cat].hex) || '#7d8799'; }
  function catLabel(cat) { return (data.categories[cat] && data.categories[cat].label) || cat; }
  function metricLabel(t) { return data.metricLabels[t] || t; }
  function shortId(id) {
    var r = String(id).replace(/^run-\d+-/, '#');
    return r !== id ? r : (id.length > 12 ? id.slice(0, 8) : id);
  }
  function niceStep(raw) {
    var mag = Math.pow(10, Math.floor(Math.log10(raw || 1)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * mag >= raw) return steps[i] * mag;
    return 10 * mag;
  }
  function ticks(from, to, count) {
    var step = niceStep((to - from) / Math.max(1, count));
    var out = [];
    for (var v = Math.ceil(from / step) * step; v <= to + 1e-9; v += step) out.push(v);
    return out;
  }
  function tickLabel(v, span) { return span >= 2000 ? (v / 1000).toFixed(v % 1000 === 0 ? 0 : 1) + ' s' : (span < 20 ? v.toFixed(1) : Math.round(v)) + ' ms'; }
  function clock(epochMs) { var d = new Date(epochMs); return d.toISOString().slice(11, 19); }
  function swatch(cat) { return h('span', { class: 'swatch', style: { background: color(cat) } }); }
  function table(head, rows, numeric, attrs) {
    return h('div', { class: 'scroll' }, h('table', attrs || null, [
      h('thead', null, h('tr', null, head.map(function (t, i) { return typeof t === 'string' ? h('th', { class: numeric[i] ? 'num' : null, text: t, scope: 'col' }) : t; }))),
      h('tbody', null, rows.map(function (r) {
        return h('tr', null, r.map(function (cell, i) { return h('td', { class: numeric[i] ? 'num' : null }, cell); }));
      })),
    ]));
  }
  function width(el) { return Math.max(240, Math.floor(el.getBoundingClientRect().width)); }
  function narrow() { return window.innerWidth < 600; }

  // ---- tooltip: hover, keyboard focus and touch; Escape, the close button or a tap elsewhere dismiss it
  var tipEl = document.getElementById('tooltip');
  var tipOwner = null;
  function hideTip() { tipEl.classList.remove('on'); tipOwner = null; }
  function placeTip(x, y) {
    var r = tipEl.getBoundingClientRect();
    var px = x + 14, py = y + 14;
    if (px + r.width > window.innerWidth - 8) px = Math.max(8, x - r.width - 14);
    if (py + r.height > window.innerHeight - 8) py = Math.max(8, y - r.height - 14);
    tipEl.style.left = px + 'px';
    tipEl.style.top = py + 'px';
  }
  function showTip(owner, build, x, y, sticky) {
    tipEl.textContent = '';
    append(tipEl, build());
    if (sticky) append(tipEl, h('button', { class: 'close', 'aria-label': 'Close', text: '×', onclick: hideTip }));
    tipEl.classList.add('on');
    tipOwner = owner;
    placeTip(x, y);
  }
  function tip(node, build) {
    node.addEventListener('pointerdown', function (e) { st.lastPointer = e.pointerType; });
    node.addEventListener('mousemove', function (e) { if (st.lastPointer === 'mouse') showTip(node, build, e.clientX, e.clientY, false); });
    node.addEventListener('mouseleave', function () { if (tipOwner === node && st.lastPointer === 'mouse') hideTip(); });
    node.addEventListener('focus', function () { var r = node.getBoundingClientRect(); showTip(node, build, r.left + r.width / 2, r.bottom, false); });
    node.addEventListener('blur', function () { if (tipOwner === node) hideTip(); });
    node.addEventListener('click', function (e) { if (st.lastPointer === 'touch' || st.lastPointer === 'pen') showTip(node, build, e.clientX, e.clientY, true); });
  }
  document.addEventListener('keydown', function (e) { st.lastPointer = 'keyboard'; if (e.key === 'Escape') hideTip(); });
  document.addEventListener('pointermove', function (e) { if (e.pointerType === 'mouse') st.lastPointer = 'mouse'; }, { passive: true });
  document.addEventListener('pointerdown', function (e) { if (tipOwner && !tipEl.contains(e.target) && !(tipOwner.contains && tipOwner.contains(e.target))) hideTip(); });
  window.addEventListener('scroll', function () { if (st.lastPointer === 'mouse') hideTip(); }, { passive: true });

  // ---- header -----------------------------------------------------------------------------------
  function incidentLabel(e) {
    var p = R.anomalies.planted.filter(function (x) { return x.executionId === e.executionId; })[0];
    return p ? p.label : e.incident;
  }
  function sloOf(type) { var x = (R.slo || []).filter(function (o) { return o.metricType === type; })[0]; return x; }
  function renderHeader() {
    var run = R.run;
    document.getElementById('headline').textContent = run.requests + ' executions of ' + run.agentName + (run.concurrency ? ', ' + run.concurrency + ' at a time' : '');
    var parts = [run.startedAt.replace('T', ' ').slice(0, 19) + ' UTC', 'agent-timing ' + run.sdkVersion, 'Node ' + run.node, 'covering ' + (run.durationMs / 1000).toFixed(1) + ' s'];
    if (run.seed !== undefined) parts.unshift('Seed ' + run.seed);
    var x = R.resources;
    if (x && x.samples) {
      if (x.cpuPercentMean !== undefined) parts.push('CPU ' + fmtPct(x.cpuPercentMean, 0));
      if (x.memoryMbPeak !== undefined) parts.push('RSS ≤ ' + Math.round(x.memoryMbPeak) + ' MB');
    }
    document.getElementById('subline').textContent = parts.join(' · ');
    var v = windowView();
    var total = v.percentiles.filter(function (p) { return p.metricType === 'total_execution'; })[0] || {};
    var missed = v.slo.filter(function (o) { return !o.met; }).length;
    var a = v.anomalies;
    var found = a.planted.filter(function (p) { return p.flagged; }).length;
    var kpis = [
      { label: 'Executions', value: String(run.succeeded), sub: run.failed ? run.failed + ' failed' : 'all succeeded', cls: run.failed ? 'bad' : '' },
      { label: 'Total p50', value: fmtMs(total.p50), sub: 'p95 ' + fmtMs(total.p95) },
      { label: 'Time to first token p95', value: fmtMs(R.ttft.p95), sub: 'p50 ' + fmtMs(R.ttft.p50) },
      { label: 'Efficiency', value: fmtPct(v.breakdown.efficiencyPercent, 0), sub: 'not queued, not unaccounted' },
      { label: 'SLOs met', value: (v.slo.length - missed) + ' / ' + v.slo.length, sub: 'target ' + (v.slo[0] ? v.slo[0].targetPercent : 99) + ' %', cls: missed ? 'bad' : 'good' },
      { label: 'Anomalous executions', value: String(a.executions), sub: a.total + ' observations' + (a.planted.length ? ' · ' + found + ' of ' + a.planted.length + ' planted found' : '') },
    ];
    if (v.window) kpis.forEach(function (o, i) { if (i > 0) o.label += ' · ' + v.window; });
    var k = document.getElementById('kpis');
    k.textContent = '';
    append(k, kpis.map(function (o) {
      return h('div', { class: 'kpi ' + (o.cls || '') }, [h('div', { class: 'label', text: o.label }), h('div', { class: 'value', text: o.value }), h('div', { class: 'sub', text: o.sub })]);
    }));
  }

  // ---- where the time went ------------------------------------------------------------------------
  function renderBreakdown() {
    var v = windowView();
    var b = v.breakdown;
    var host = body('breakdown');
    if (v.window) {
      note('breakdown', v.window + ': ' + b.executions + ' executions completed in the window. From the aggregator’s exact sums per category; overhead is the rest of their time (uncategorized time included).');
      append(host, windowBar('breakdown'));
    }
    var stack = h('div', { class: 'stack', role: 'img', 'aria-label': 'Share of execution time by category' }, b.categories.map(function (c) {
      var d = h('div', { style: { width: c.percent + '%', background: color(c.category) } });
      tip(d, function () { return [h('b', { text: catLabel(c.category) }), h('br'), fmtPct(c.percent) + ' of all execution time', h('br'), h('span', { class: 'muted', text: 'mean ' + fmtMs(c.meanMs) + ' per execution' })]; });
      return d;
    }));
    var rows = b.categories.map(function (c) {
      return [[swatch(c.category), catLabel(c.category)], fmtMs(c.meanMs), fmtPct(c.percent),
        h('div', { class: 'sharebar' }, h('div', { style: { width: c.percent + '%', background: color(c.category) } }))];
    });
    append(host, [stack, table(['Category', 'Mean per execution', 'Share', ''], rows, [false, true, true, false])]);
  }

  // ---- every execution: one column each up to a cap, groups beyond it -------------------------------
  function openable(list) {
    var best = null;
    list.forEach(function (e) { if (data.waterfalls[e.executionId] && (!best || e.totalMs > best.totalMs)) best = e; });
    return best || list.reduce(function (a, e) { return e.totalMs > a.totalMs ? e : a; });
  }
  function renderExecutions() {
    var host = body('executions');
    var list = R.executions.slice().sort(function (a, b) { return a.startOffsetMs - b.startOffsetMs; });
    if (!list.length) { append(host, h('p', { class: 'note', text: 'No execution has completed yet.' })); return; }
    var W = width(host), H = narrow() ? 190 : 240, left = 46, right = 8, top = 16, bottom = 26;
    var plotW = W - left - right, plotH = H - top - bottom;
    var cap = Math.max(8, Math.min(300, Math.floor(plotW / 4)));
    var per = Math.ceil(list.length / cap);
    var groups = [];
    for (var i = 0; i < list.length; i += per) groups.push(list.slice(i, i + per));
    var objective = sloOf('total_execution');
    var maxTotal = Math.max.apply(null, list.map(function (e) { return e.totalMs; }));
    var yMax = Math.max(maxTotal, 1);
    var y = function (v) { return top + plotH - (v / yMax) * plotH; };
    var colW = plotW / groups.length;
    var root = s('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'group', 'aria-label': 'Executions in start order, ' + (per > 1 ? per + ' per column, ' : '') + 'stacked by category. Arrow keys move, Enter opens the waterfall.' });
    ticks(0, yMax, 4).forEach(function (v) {
      root.appendChild(s('line', { class: 'grid', x1: left, x2: W - right, y1: y(v), y2: y(v) }));
      root.appendChild(s('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', text: tickLabel(v, yMax) }));
    });
    if (objective && objective.thresholdMs <= yMax) {
      root.appendChild(s('line', { x1: left, x2: W - right, y1: y(objective.thresholdMs), y2: y(objective.thresholdMs), stroke: '#ef5f6b', 'stroke-dasharray': '4 4' }));
      root.appendChild(s('text', { x: left + 4, y: y(objective.thresholdMs) - 4, text: 'total ≤ ' + fmtMs(objective.thresholdMs) + ' objective', style: { fill: '#ef5f6b' } }));
    }
    var cols = [];
    groups.forEach(function (g, gi) {
      var x = left + gi * colW;
      var target = openable(g);
      var mean = {};
      var meanTotal = 0;
      g.forEach(function (e) { meanTotal += e.totalMs / g.length; STACK_ORDER.forEach(function (c) { mean[c] = (mean[c] || 0) + (e.categories[c] || 0) / g.length; }); });
      var label = g.length === 1 ? 'Execution ' + shortId(target.executionId) + ', ' + fmtMs(target.totalMs) : g.length + ' executions, mean ' + fmtMs(meanTotal) + ', slowest ' + fmtMs(target.totalMs);
      var col = s('g', { class: 'col', tabindex: gi === st.focusCol ? 0 : -1, role: 'button', 'aria-label': label + '. Enter opens its waterfall.', 'data-id': target.executionId });
      col.appendChild(s('rect', { class: 'hit', x: x, y: top, width: colW, height: plotH, fill: 'transparent' }));
      var acc = 0;
      STACK_ORDER.forEach(function (c) {
        var v = mean[c] || 0;
        if (v <= 0) return;
        var y0 = y(acc), y1 = y(acc + v);
        col.appendChild(s('rect', { x: x + colW * 0.12, y: y1, width: Math.max(1, colW * 0.76), height: Math.max(0, y0 - y1), fill: color(c) }));
        acc += v;
      });
      if (g.length > 1) col.appendChild(s('line', { x1: x + colW * 0.12, x2: x + colW * 0.88, y1: y(target.totalMs), y2: y(target.totalMs), stroke: '#e7eaf0', 'stroke-width': 1.5 }));
      if (g.some(function (e) { return e.incident; })) col.appendChild(s('text', { x: x + colW / 2, y: Math.max(10, y(target.totalMs) - 4), 'text-anchor': 'middle', text: '⚑', style: { fill: '#e8b339' } }));
      tip(col, function () {
        var e = target;
        var top4 = Object.keys(e.categories).filter(function (k) { return e.categories[k] > 0; }).sort(function (a, b) { return e.categories[b] - e.categories[a]; }).slice(0, 4);
        var out = [h('b', { text: g.length > 1 ? g.length + ' executions · slowest ' + shortId(e.executionId) : shortId(e.executionId) }), ' · ' + fmtMs(e.totalMs) + (e.ttftMs !== undefined ? ' · TTFT ' + fmtMs(e.ttftMs) : '')];
        if (e.incident) out.push(h('br'), h('span', { style: { color: '#e8b339' }, text: '⚑ ' + incidentLabel(e) }));
        top4.forEach(function (k) { out.push(h('br'), swatch(k), catLabel(k) + ' ' + fmtMs(e.categories[k])); });
        out.push(h('br'), h('span', { class: 'muted', text: data.waterfalls[e.executionId] ? 'Enter or click: its waterfall' : 'no waterfall kept (only recent and slowest ones are)' }));
        return out;
      });
      col.addEventListener('click', function () { st.focusCol = gi; openExecution(target.executionId, true); });
      col.addEventListener('keydown', function (ev) {
        var to = null;
        if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') to = gi + 1;
        else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') to = gi - 1;
        else if (ev.key === 'Home') to = 0;
        else if (ev.key === 'End') to = cols.length - 1;
        else if (ev.key === 'PageDown') to = gi + 10;
        else if (ev.key === 'PageUp') to = gi - 10;
        else if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); st.focusCol = gi; openExecution(target.executionId, true); return; }
        if (to === null) return;
        ev.preventDefault();
        to = Math.max(0, Math.min(cols.length - 1, to));
        cols[gi].setAttribute('tabindex', '-1');
        cols[to].setAttribute('tabindex', '0');
        st.focusCol = to;
        cols[to].focus();
      });
      cols.push(col);
      root.appendChild(col);
    });
    if (st.focusCol >= cols.length) { st.focusCol = cols.length - 1; cols[st.focusCol].setAttribute('tabindex', '0'); }
    root.appendChild(s('text', { x: left, y: H - 6, text: 'first' }));
    root.appendChild(s('text', { x: W - right, y: H - 6, 'text-anchor': 'end', text: 'latest →' }));
    var present = STACK_ORDER.filter(function (c) { return R.breakdown.categories.some(function (x) { return x.category === c; }); });
    var legend = h('div', { class: 'legend' }, present.map(function (c) { return h('span', null, [swatch(c), catLabel(c)]); })
      .concat(R.anomalies.planted.length ? [h('span', { style: { color: '#e8b339' }, text: '⚑ planted slow outlier' })] : [])
      .concat(per > 1 ? [h('span', { text: per + ' executions per column (mean stacked, white line: the slowest)' })] : []));
    note('executions', list.length + ' executions in start order' + (per > 1 ? ', drawn as ' + groups.length + ' columns' : '') + '. Click, tap, or Tab in and use the arrow keys and Enter to open one.' + (R.keptNote ? ' ' + R.keptNote : ''));
    append(host, [h('div', { class: 'chart' }, root), legend]);
    select(st.selected);
  }
  function select(id) {
    document.querySelectorAll('#executions .col').forEach(function (c) { c.classList.toggle('selected', c.getAttribute('data-id') === id); });
  }
  function openExecution(id, scroll) {
    if (st.selected !== id) { st.collapsed = {}; st.zoom = null; st.current = 0; st.detailRow = null; }
    st.selected = id;
    if (history.replaceState) history.replaceState(null, '', '#exec=' + encodeURIComponent(id));
    renderWaterfall();
    select(id);
    if (scroll) {
      var wf = document.getElementById('waterfall');
      wf.scrollIntoView({ block: 'start' });
      var first = wf.querySelector('.wf-row[tabindex="0"]');
      if (first) first.focus({ preventScroll: true });
    }
  }

  // ---- waterfall: collapsible tree, zoom, span details ------------------------------------------------
  function traceLink(traceId) {
    var url = R.endpoints && R.endpoints.traceUiUrl;
    if (!traceId) return null;
    if (url && /^https?:\/\//i.test(url)) return h('a', { href: url.split('{traceId}').join(encodeURIComponent(traceId)), target: '_blank', rel: 'noopener noreferrer', text: 'trace ' + traceId.slice(0, 16) + '…' });
    return h('span', { class: 'pill', text: 'trace ' + traceId });
  }
  function renderWaterfall() {
    var host = body('waterfall');
    var id = st.selected;
    var e = byId[id];
    var rows = data.waterfalls[id];
    if (!e) { append(host, h('p', { class: 'note', text: 'Choose an execution above.' })); return; }
    var title = [h('b', { text: 'Execution ' + shortId(id) }), h('span', { class: 'pill', text: fmtMs(e.totalMs) })];
    if (e.ttftMs !== undefined) title.push(h('span', { class: 'pill', text: 'TTFT ' + fmtMs(e.ttftMs) }));
    if (e.outcome === 'error') title.push(h('span', { class: 'pill bad', text: 'failed' + (e.error ? ': ' + e.error : '') }));
    if (e.incident) title.push(h('span', { class: 'pill warn', text: '⚑ ' + incidentLabel(e) }));
    title.push(traceLink(e.traceId));
    append(host, h('div', { class: 'wf-title' }, title));
    if (!rows || !rows.length) {
      append(host, [h('p', { class: 'note', text: 'No waterfall was kept for this execution (the report keeps the spans of the most recent and the slowest executions). Its breakdown:' }),
        table(['Category', 'Time'], Object.keys(e.categories).filter(function (k) { return e.categories[k] > 0; }).map(function (k) { return [[swatch(k), catLabel(k)], fmtMs(e.categories[k])]; }), [false, true])]);
      return;
    }
    var total = rows[0].endMs - rows[0].startMs || e.totalMs;
    var v0 = st.zoom ? st.zoom[0] : rows[0].startMs, v1 = st.zoom ? st.zoom[1] : rows[0].startMs + total;
    var span = Math.max(1e-6, v1 - v0);
    var pctX = function (t) { return ((t - v0) / span) * 100; };
    var hasKids = rows.map(function (r, i) { return i + 1 < rows.length && rows[i + 1].depth > r.depth; });
    var parentOf = rows.map(function (r, i) { for (var j = i - 1; j >= 0; j--) if (rows[j].depth < r.depth) return j; return -1; });
    var hidden = rows.map(function () { return false; });
    rows.forEach(function (r, i) { var p = parentOf[i]; hidden[i] = p >= 0 && (hidden[p] || !!st.collapsed[p]); });
    var critMs = rows.reduce(function (a, r) { return a + (r.critical || []).reduce(function (b, c) { return b + c[1] - c[0]; }, 0); }, 0);
    var zoomBy = function (f) {
      var mid = (v0 + v1) / 2, half = Math.min(total, span * f) / 2;
      var a = Math.max(rows[0].startMs, mid - half), b = Math.min(rows[0].startMs + total, a + 2 * half);
      st.zoom = (b - a) >= total - 1e-9 ? null : [b - 2 * half < rows[0].startMs ? rows[0].startMs : b - 2 * half, b];
      renderWaterfall();
    };
    var tools = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Waterfall view' }, [
      h('button', { text: 'Zoom in', onclick: function () { zoomBy(0.5); } }),
      h('button', { text: 'Zoom out', onclick: function () { zoomBy(2); } }),
      h('button', { text: 'Fit', disabled: st.zoom ? null : 'disabled', onclick: function () { st.zoom = null; renderWaterfall(); } }),
      h('button', { text: 'Collapse all', onclick: function () { rows.forEach(function (r, i) { if (hasKids[i] && i > 0) st.collapsed[i] = true; }); st.current = 0; renderWaterfall(); } }),
      h('button', { text: 'Expand all', onclick: function () { st.collapsed = {}; renderWaterfall(); } }),
      h('span', { class: 'note', text: 'critical path ' + fmtMs(critMs) + (st.zoom ? ' · showing ' + fmtMs(v0) + ' – ' + fmtMs(v1) : '') }),
    ]);
    var axis = h('div', { class: 'wf-axis', 'aria-hidden': 'true' }, [h('div'), h('div', { class: 'track' }, ticks(v0, v1, narrow() ? 3 : 6).map(function (t) {
      return h('span', { class: 'tick', style: { left: pctX(t) + '%' }, text: tickLabel(t, span) });
    })), h('div')]);
    var tree = h('div', { class: 'wf', role: 'tree', 'aria-label': 'Spans of execution ' + id + '. Arrow keys move, Left and Right collapse and expand, Enter shows details, Z zooms to the span.' });
    var els = [];
    if (hidden[st.current]) st.current = 0;
    rows.forEach(function (r, i) {
      if (hidden[i]) return;
      var c = r.kind === 'execution' ? '#9aa5b8' : color(r.category);
      var name = h('div', { class: 'wf-name', style: { paddingLeft: (r.depth * (narrow() ? 8 : 14)) + 'px' } }, [
        hasKids[i] ? h('button', { class: 'wf-toggle', tabindex: -1, 'aria-label': st.collapsed[i] ? 'Expand' : 'Collapse', text: st.collapsed[i] ? '▸' : '▾',
          onclick: function (ev) { ev.stopPropagation(); st.collapsed[i] = !st.collapsed[i]; st.current = i; renderWaterfall(); focusRow(); } }) : h('span', { class: 'wf-pad' }),
        r.kind !== 'execution' ? swatch(r.category) : null,
        h('span', { class: 'txt' + (r.kind === 'span' ? ' span' : ''), text: r.name, style: r.kind === 'execution' ? { fontWeight: '650' } : null }),
      ]);
      var track = h('div', { class: 'wf-track' });
      var left = pctX(r.startMs), right = pctX(r.endMs);
      if (right > 0 && left < 100) {
        track.appendChild(h('div', { class: 'wf-bar', style: { left: Math.max(0, left) + '%', width: (Math.min(100, right) - Math.max(0, left)) + '%', background: c } }));
        (r.critical || []).forEach(function (seg) {
          var a = Math.max(0, pctX(seg[0])), b = Math.min(100, pctX(seg[1]));
          if (b > 0 && a < 100) track.appendChild(h('div', { class: 'wf-crit', style: { left: a + '%', width: Math.max(0, b - a) + '%', background: c } }));
        });
      }
      (r.marks || []).forEach(function (m) { var x = pctX(m.atMs); if (x >= 0 && x <= 100) track.appendChild(h('div', { class: 'wf-mark', title: m.label, style: { left: x + '%' } })); });
      var row = h('div', { class: 'wf-row' + (i === st.current ? ' current' : ''), role: 'treeitem', 'aria-level': r.depth + 1, tabindex: i === st.current ? 0 : -1,
        'aria-expanded': hasKids[i] ? String(!st.collapsed[i]) : null, 'aria-selected': String(st.detailRow === i), 'data-row': i,
        'aria-label': r.name + ', ' + fmtMs(r.endMs - r.startMs) + (r.critical ? ', on the critical path' : '') }, [name, track, h('div', { class: 'wf-dur', text: fmtMs(r.endMs - r.startMs) })]);
      row.addEventListener('click', function () { st.current = i; st.detailRow = i; renderWaterfall(); focusRow(); });
      row.addEventListener('dblclick', function () { zoomTo(r); });
      row.addEventListener('keydown', function (ev) { rowKey(ev, i); });
      els.push(row);
      tree.appendChild(row);
    });
    function visibleIdx() { var out = []; rows.forEach(function (_, i) { if (!hidden[i]) out.push(i); }); return out; }
    function focusRow() { var el = document.querySelector('#waterfall .wf-row[data-row="' + st.current + '"]'); if (el) el.focus(); }
    function zoomTo(r) { var pad = (r.endMs - r.startMs) * 0.05; st.zoom = [Math.max(rows[0].startMs, r.startMs - pad), Math.min(rows[0].startMs + total, r.endMs + pad)]; renderWaterfall(); focusRow(); }
    function rowKey(ev, i) {
      var vis = visibleIdx(), at = vis.indexOf(i), to = null;
      if (ev.key === 'ArrowDown') to = vis[Math.min(vis.length - 1, at + 1)];
      else if (ev.key === 'ArrowUp') to = vis[Math.max(0, at - 1)];
      else if (ev.key === 'Home') to = vis[0];
      else if (ev.key === 'End') to = vis[vis.length - 1];
      else if (ev.key === 'ArrowRight') { if (hasKids[i] && st.collapsed[i]) { st.collapsed[i] = false; renderWaterfall(); focusRow(); ev.preventDefault(); return; } if (hasKids[i]) to = i + 1; }
      else if (ev.key === 'ArrowLeft') { if (hasKids[i] && !st.collapsed[i]) { st.collapsed[i] = true; renderWaterfall(); focusRow(); ev.preventDefault(); return; } if (parentOf[i] >= 0) to = parentOf[i]; }
      else if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); st.detailRow = i; renderWaterfall(); focusRow(); return; }
      else if (ev.key === 'z' || ev.key === 'Z') { ev.preventDefault(); zoomTo(rows[i]); return; }
      else if (ev.key === '+' || ev.key === '=') { ev.preventDefault(); zoomBy(0.5); focusRow(); return; }
      else if (ev.key === '-') { ev.preventDefault(); zoomBy(2); focusRow(); return; }
      if (to === null || to === undefined) return;
      ev.preventDefault();
      st.current = to;
      els.forEach(function (el) { var n = Number(el.getAttribute('data-row')); el.setAttribute('tabindex', n === to ? '0' : '-1'); el.classList.toggle('current', n === to); });
      focusRow();
    }
    var legend = h('div', { class: 'legend' }, [h('span', { text: 'Solid: on the critical path. Faded: running, but off the path. ▼ first token. Click or Enter: details; double-click or Z: zoom to the span.' })]);
    append(host, [tools, h('div', { class: 'scroll' }, [axis, tree]), legend, detailPanel(rows, st.detailRow === null ? null : rows[st.detailRow], zoomTo)]);
  }
  function detailPanel(rows, r, zoomTo) {
    if (!r) return null;
    var crit = (r.critical || []).reduce(function (a, c) { return a + c[1] - c[0]; }, 0);
    var facts = [['kind', r.kind], ['category', r.category ? catLabel(r.category) : '–'], ['start', fmtMs(r.startMs)], ['duration', fmtMs(r.endMs - r.startMs)],
      ['self time', fmtMs(r.selfMs)], ['on the critical path', fmtMs(crit)]];
    if (r.spanId) facts.push(['span id', r.spanId]);
    if (r.error) facts.push(['error', r.error]);
    var attrs = r.attributes ? Object.keys(r.attributes).map(function (k) { return [k, String(r.attributes[k])]; }) : [];
    var dl = function (pairs) { return h('dl', null, pairs.reduce(function (a, p) { a.push(h('dt', { text: p[0] }), h('dd', { text: p[1] })); return a; }, [])); };
    return h('div', { class: 'wf-detail', role: 'region', 'aria-label': 'Span details' }, [
      h('b', { text: r.name }), ' ', h('button', { text: 'Zoom to this span', onclick: function () { zoomTo(r); } }),
      dl(facts),
      h('h3', { text: 'Attributes' + (attrs.length ? '' : ': none') }), attrs.length ? dl(attrs) : null,
      r.events && r.events.length ? h('h3', { text: 'Events' }) : null,
      r.events && r.events.length ? dl(r.events.map(function (ev) {
        var a = ev.attributes ? Object.keys(ev.attributes).map(function (k) { return k + '=' + ev.attributes[k]; }).join(', ') : '';
        return [fmtMs(ev.atMs), ev.name + (a ? ' (' + a + ')' : '')];
      })) : null,
    ]);
  }

  // ---- throughput and concurrency over wall-clock time -----------------------------------------------
  function renderThroughput() {
    var host = body('throughput');
    var t = R.throughput;
    if (!t || !t.buckets.length) { append(host, h('p', { class: 'note', text: 'No execution has completed yet.' })); return; }
    var W = width(host), H = 180, left = 40, right = 40, top = 14, bottom = 24;
    var plotW = W - left - right, plotH = H - top - bottom;
    var n = t.buckets.length;
    var maxC = Math.max.apply(null, t.buckets.map(function (b) { return b.completed; }).concat([1]));
    var maxK = Math.max.apply(null, t.buckets.map(function (b) { return b.concurrency; }).concat([1]));
    var x = function (i) { return left + (i / n) * plotW; };
    var y = function (v) { return top + plotH - (v / maxC) * plotH; };
    var yk = function (v) { return top + plotH - (v / maxK) * plotH; };
    var perS = 1000 / t.bucketMs;
    var root = s('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Completed executions and mean concurrency over time' });
    ticks(0, maxC, 3).forEach(function (v) {
      root.appendChild(s('line', { class: 'grid', x1: left, x2: W - right, y1: y(v), y2: y(v) }));
      root.appendChild(s('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', text: String(Math.round(v)) }));
    });
    ticks(0, maxK, 3).forEach(function (v) { root.appendChild(s('text', { x: W - right + 6, y: yk(v) + 4, text: v.toFixed(maxK < 4 ? 1 : 0), style: { fill: '#6ea8fe' } })); });
    t.buckets.forEach(function (b, i) {
      if (!b.completed) return;
      var r = s('rect', { x: x(i) + 0.5, y: y(b.completed), width: Math.max(1, plotW / n - 1), height: top + plotH - y(b.completed), fill: b.failed ? '#ef5f6b' : '#4cc38a', 'fill-opacity': 0.75 });
      tip(r, function () { return [h('b', { text: clock(t.startEpochMs + i * t.bucketMs) }), h('br'), b.completed + ' completed (' + (b.completed * perS).toFixed(2) + '/s)' + (b.failed ? ', ' + b.failed + ' failed' : ''), h('br'), 'mean concurrency ' + b.concurrency.toFixed(2)]; });
      root.appendChild(r);
    });
    var d = t.buckets.map(function (b, i) { return (i ? 'L' : 'M') + (x(i) + plotW / n / 2).toFixed(1) + ' ' + yk(b.concurrency).toFixed(1); }).join(' ');
    root.appendChild(s('path', { d: d, fill: 'none', stroke: '#6ea8fe', 'stroke-width': 2 }));
    var labels = narrow() ? 3 : 6;
    for (var k = 0; k <= labels; k++) {
      var i = Math.round((k / labels) * n);
      root.appendChild(s('text', { x: x(i), y: H - 6, 'text-anchor': k === 0 ? 'start' : k === labels ? 'end' : 'middle', text: clock(t.startEpochMs + i * t.bucketMs) }));
    }
    note('throughput', 'Completions per ' + (t.bucketMs >= 1000 ? t.bucketMs / 1000 + ' s' : t.bucketMs + ' ms') + ' (bars, left axis; red: with failures) and mean executions in flight (line, right axis), UTC.');
    append(host, h('div', { class: 'chart' }, root));
  }

  // ---- TTFT -----------------------------------------------------------------------------------------
  function renderTtft() {
    var host = body('ttft');
    var t = R.ttft;
    var values = R.executions.map(function (e) { return e.ttftMs; }).filter(function (v) { return v !== undefined; });
    note('ttft', 'Distribution across executions; the dashed line is the ' + fmtMs(t.sloMs) + ' objective.');
    if (!values.length) { append(host, h('p', { class: 'note', text: 'No execution recorded a first token.' })); return; }
    var W = width(host), H = narrow() ? 170 : 220, left = 36, right = 10, top = 16, bottom = 26;
    var maxV = Math.max.apply(null, values.concat([t.sloMs * 1.1]));
    var bin = niceStep(maxV / (narrow() ? 14 : 30));
    var nBins = Math.ceil(maxV / bin);
    var counts = []; for (var i = 0; i < nBins; i++) counts.push(0);
    values.forEach(function (v) { counts[Math.min(nBins - 1, Math.floor(v / bin))]++; });
    var plotW = W - left - right, plotH = H - top - bottom;
    var maxC = Math.max.apply(null, counts.concat([1]));
    var x = function (v) { return left + (v / (nBins * bin)) * plotW; };
    var y = function (c) { return top + plotH - (c / maxC) * plotH; };
    var root = s('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Time to first token histogram' });
    ticks(0, maxC, 4).forEach(function (c) {
      root.appendChild(s('line', { class: 'grid', x1: left, x2: W - right, y1: y(c), y2: y(c) }));
      root.appendChild(s('text', { x: left - 6, y: y(c) + 4, 'text-anchor': 'end', text: String(c) }));
    });
    counts.forEach(function (c, j) {
      if (!c) return;
      var from = j * bin;
      var r = s('rect', { x: x(from) + 0.5, y: y(c), width: Math.max(1, x(from + bin) - x(from) - 1), height: top + plotH - y(c), rx: 2, fill: from >= t.sloMs ? '#ef5f6b' : '#4cc38a' });
      tip(r, function () { return [h('b', { text: tickLabel(from, maxV) + ' – ' + tickLabel(from + bin, maxV) }), h('br'), c + ' execution' + (c === 1 ? '' : 's')]; });
      root.appendChild(r);
    });
    ticks(0, nBins * bin, narrow() ? 4 : 8).forEach(function (v) { root.appendChild(s('text', { x: x(v), y: H - 6, 'text-anchor': 'middle', text: tickLabel(v, nBins * bin) })); });
    root.appendChild(s('line', { x1: x(t.sloMs), x2: x(t.sloMs), y1: top - 6, y2: top + plotH, stroke: '#ef5f6b', 'stroke-dasharray': '4 4' }));
    var objRight = x(t.sloMs) > W - 110;
    root.appendChild(s('text', { x: x(t.sloMs) + (objRight ? -6 : 6), y: top + 4, 'text-anchor': objRight ? 'end' : 'start', text: 'objective ' + fmtMs(t.sloMs), style: { fill: '#ef5f6b' } }));
    append(host, [h('div', { class: 'chart' }, root),
      h('div', { class: 'legend' }, ['p50 ' + fmtMs(t.p50), 'p95 ' + fmtMs(t.p95), 'p99 ' + fmtMs(t.p99), 'max ' + fmtMs(t.max)].map(function (v) { return h('span', { text: v }); }))]);
  }

  // ---- windows, SLOs, percentiles --------------------------------------------------------------------
  // Everything below the selector, the shares and the KPIs follow the window; a saved report from
  // before per-window shares, bottlenecks, anomalies and trends shows its headline ones for those.
  function windowView() {
    var head = { window: null, percentiles: R.percentiles, slo: R.slo, breakdown: R.breakdown, bottlenecks: R.bottlenecks, anomalies: R.anomalies, trends: R.trends.items };
    var w = R.windows && R.windows.filter(function (x) { return x.window === (st.window || '1h'); })[0];
    if (!w) return head;
    return { window: w.window, percentiles: w.percentiles, slo: w.slo, breakdown: w.breakdown || head.breakdown, bottlenecks: w.bottlenecks || head.bottlenecks,
      anomalies: w.anomalies || head.anomalies, trends: w.trends || head.trends, observations: w.observations };
  }
  function renderWindowed() {
    [renderHeader, renderBreakdown, renderSlo, renderPercentiles, renderBottlenecks, renderAnomalies, renderTrends].forEach(function (f) {
      try { f(); } catch (err) { if (window.console) console.warn('report: a section could not be drawn', err); }
    });
  }
  function windowBar(section) {
    if (!R.windows) return null;
    return h('div', { class: 'toolbar winbar', role: 'group', 'aria-label': 'Aggregation window' }, [h('span', { class: 'note', text: 'Window' })].concat(R.windows.map(function (w) {
      return h('button', { text: w.window, 'data-window': w.window, 'aria-pressed': String((st.window || '1h') === w.window), onclick: function () {
        st.window = w.window;
        renderWindowed();
        var again = document.querySelector('#' + section + ' .winbar button[data-window="' + w.window + '"]');
        if (again) again.focus({ preventScroll: true });
      } });
    })));
  }
  function renderSlo() {
    var host = body('slo');
    var slo = windowView().slo;
    append(host, [windowBar('slo'), h('div', { class: 'slo-cards' }, slo.map(function (o) {
      var left = Math.max(0, Math.min(100, o.budgetRemainingPercent));
      return h('div', { class: 'slo-card ' + (o.met ? 'met' : 'missed') }, [
        h('div', { class: 'note', text: metricLabel(o.metricType) + ' ≤ ' + fmtMs(o.thresholdMs) }),
        h('div', { class: 'big', text: o.total ? fmtPct(o.compliancePercent) : '–' }),
        h('div', { class: 'note', text: (o.total - o.good) + ' of ' + o.total + ' missed · target ' + o.targetPercent + ' %' }),
        h('div', { class: 'budget' }, h('div', { style: { width: left + '%', background: o.met ? '#4cc38a' : '#ef5f6b' } })),
        h('div', { class: 'note', text: o.budgetRemainingPercent >= 0 ? fmtPct(o.budgetRemainingPercent, 0) + ' of the error budget left'
          : 'error budget exhausted: ' + (o.total - o.good) + ' missed, ' + +(o.total * (100 - o.targetPercent) / 100).toFixed(1) + ' allowed' }),
      ]);
    }))]);
  }
  function renderPercentiles() {
    var host = body('percentiles');
    var list = windowView().percentiles;
    var maxP99 = Math.max.apply(null, list.map(function (p) { return p.p99; }).concat([1]));
    var logX = function (v) { return (Math.log10(Math.max(0.1, v)) + 1) / (Math.log10(maxP99) + 1) * 100; };
    var rows = list.map(function (p) {
      var range = h('div', { style: { position: 'relative', height: '10px', minWidth: '100px', background: 'var(--panel-2)', borderRadius: '5px' } }, [
        h('div', { style: { position: 'absolute', left: logX(p.p50) + '%', width: Math.max(0.8, logX(p.p99) - logX(p.p50)) + '%', top: '0', bottom: '0', background: 'var(--accent)', opacity: '0.45', borderRadius: '5px' } }),
        h('div', { style: { position: 'absolute', left: logX(p.p95) + '%', width: '2px', top: '-2px', bottom: '-2px', background: 'var(--text)' } }),
      ]);
      return [metricLabel(p.metricType), String(p.count), fmtMs(p.p50), h('b', { text: fmtMs(p.p95) }), fmtMs(p.p99), fmtMs(p.max), range];
    });
    append(host, [R.windows ? null : null, table(['Metric', 'n', 'p50', 'p95', 'p99', 'max', 'p50 – p99, log scale (tick: p95)'], rows, [false, true, true, true, true, true, false])]);
  }
  function renderBottlenecks() {
    var v = windowView();
    if (v.window) note('bottlenecks', v.window + ': getBottlenecks(95) over the window: the slowest 5 % of each metric and the time they cost.');
    var list = v.bottlenecks.slice(0, 8);
    var most = Math.max.apply(null, list.map(function (b) { return b.timeAboveMs; }).concat([1]));
    var rows = list.map(function (b) {
      return [metricLabel(b.metricType), fmtMs(b.thresholdMs), String(b.atOrAbove), h('b', { text: fmtMs(b.timeAboveMs) }),
        h('div', { class: 'sharebar' }, h('div', { style: { width: (100 * b.timeAboveMs / most) + '%', background: 'var(--bad)', opacity: '0.75' } })), fmtPct(b.percentOfTypeTime, 0), fmtMs(b.maxMs)];
    });
    append(body('bottlenecks'), rows.length ? table(['Metric', 'p95', 'n ≥ p95', 'Time ≥ p95', '', 'Share of its time', 'max'], rows, [false, true, true, true, false, true, true]) : h('p', { class: 'note', text: 'None yet.' }));
  }
  function execLink(id) {
    if (!id) return '';
    return h('button', { class: 'link', text: shortId(id), 'aria-label': 'Open execution ' + id, onclick: function () { openExecution(id, true); } });
  }
  function sampleNote(v) {
    var o = v.observations;
    if (!o) return '';
    return ' ' + v.window + ': ' + (o.used < o.counted ? 'the newest ' + o.used + ' of the window’s ' + o.counted + ' observations (the aggregator’s export is bounded).' : 'all ' + o.counted + ' observations of the window.');
  }
  function renderAnomalies() {
    var v = windowView();
    var a = v.anomalies;
    note('anomalies', 'detectAnomalies(): ' + a.method + '. ' + a.executions + ' executions flagged, from ' + a.total + ' observations.' + sampleNote(v));
    var rows = a.byType.map(function (t) {
      return [metricLabel(t.metricType), String(t.count), h('span', { style: { whiteSpace: 'nowrap' } }, [h('b', { text: fmtMs(t.worst.value) }), h('span', { class: 'note', text: '  vs median ' + fmtMs(t.worst.median) })]),
        t.worst.zScore.toFixed(1), [execLink(t.worst.executionId), t.worst.incident ? h('span', { class: 'pill warn', text: '⚑ planted', style: { marginLeft: '6px' } }) : '']];
    });
    var parts = [h('div', null, [h('h3', { text: 'Most extreme per metric (count: observations)' }), rows.length ? table(['Metric', 'Count', 'Most extreme', 'z', 'Execution'], rows, [false, true, false, true, false]) : h('p', { class: 'note', text: 'None.' })])];
    if (a.planted.length) {
      parts.push(h('div', null, [h('h3', { text: 'Slow outliers planted (executions)' }), table(['', 'Execution', 'What happened'], a.planted.map(function (p) {
        return [h('span', { class: 'pill ' + (p.flagged ? 'good' : 'bad'), text: p.flagged ? 'flagged' : 'missed' }), execLink(p.executionId), p.label];
      }), [false, false, false])]));
    }
    append(body('anomalies'), h('div', { class: parts.length > 1 ? 'grid2' : '' }, parts));
  }
  function renderTrends() {
    var v = windowView();
    var t = R.trends;
    note('trends', t.basis + ' (the aggregator’s own trends compare five-minute windows).' + sampleNote(v));
    var arrow = { improving: '↘ improving', stable: '→ stable', degrading: '↗ degrading' };
    var rows = v.trends.map(function (x) {
      return [metricLabel(x.metricType), fmtMs(x.firstHalfP95), fmtMs(x.secondHalfP95), (x.changePercent >= 0 ? '+' : '') + x.changePercent.toFixed(0) + ' %', h('span', { class: 'pill ' + x.trend, text: arrow[x.trend] })];
    });
    append(body('trends'), rows.length ? table(['Metric', 'p95, first half', 'p95, second half', 'Change', 'Trend'], rows, [false, true, true, true, false]) : h('p', { class: 'note', text: 'Not enough observations yet.' }));
  }
  function renderRecommendations() {
    var r = R.recommendations;
    var list = function (items) { return items.length ? h('ol', { class: 'recs' }, items.map(function (t) { return h('li', { text: t }); })) : h('p', { class: 'note', text: 'Nothing stands out.' }); };
    append(body('recommendations'), [h('h3', { text: 'For the average execution' }), list(r.average),
      R.slowest ? h('h3', { text: 'For the slowest execution (' + shortId(R.slowest.executionId) + ')' }) : null, R.slowest ? list(r.slowest) : null]);
  }

  // ---- searchable, sortable list of executions -------------------------------------------------------
  function topCategory(e) { return Object.keys(e.categories).sort(function (a, b) { return e.categories[b] - e.categories[a]; })[0]; }
  function renderList() {
    var host = body('list');
    var input = h('input', { type: 'search', placeholder: 'Filter: id, agent, phase, outcome', 'aria-label': 'Filter executions', value: st.filter });
    var onlyKept = h('label', { class: 'note' }, [h('input', { type: 'checkbox', checked: st.onlyKept ? 'checked' : null }), ' with a waterfall only']);
    var out = h('div');
    var draw = function () {
      out.textContent = '';
      var q = st.filter.toLowerCase();
      var list = R.executions.filter(function (e) {
        if (st.onlyKept && !data.waterfalls[e.executionId]) return false;
        if (!q) return true;
        return [e.executionId, e.agentName || '', e.outcome, e.incident || '', e.error || ''].concat(Object.keys(e.phases)).join(' ').toLowerCase().indexOf(q) >= 0;
      });
      list.sort(function (a, b) { var x = a[st.sortKey], y = b[st.sortKey]; x = x === undefined ? -1 : x; y = y === undefined ? -1 : y; return (x < y ? -1 : x > y ? 1 : 0) * st.sortDir; });
      var shown = list.slice(0, 100);
      var head = [['executionId', 'Execution'], ['agentName', 'Agent'], ['startOffsetMs', 'Started'], ['totalMs', 'Total'], ['ttftMs', 'TTFT'], ['outcome', 'Outcome']].map(function (c, i) {
        var active = st.sortKey === c[0];
        return h('th', { class: i >= 2 && i <= 4 ? 'num' : null, scope: 'col', 'aria-sort': active ? (st.sortDir > 0 ? 'ascending' : 'descending') : 'none' },
          h('button', { class: 'link', text: c[1] + (active ? (st.sortDir > 0 ? ' ↑' : ' ↓') : ''), onclick: function () { if (st.sortKey === c[0]) st.sortDir = -st.sortDir; else { st.sortKey = c[0]; st.sortDir = -1; } draw(); } }));
      }).concat([h('th', { scope: 'col', text: 'Most time in' })]);
      append(out, [table(head, shown.map(function (e) {
        var tc = topCategory(e);
        return [data.waterfalls[e.executionId] ? execLink(e.executionId) : h('span', { text: shortId(e.executionId), title: 'no waterfall kept' }), e.agentName || '', '+' + fmtMs(e.startOffsetMs),
          fmtMs(e.totalMs), fmtMs(e.ttftMs), e.outcome === 'error' ? h('span', { class: 'pill bad', text: 'error' }) : e.outcome, tc ? [swatch(tc), catLabel(tc)] : ''];
      }), [false, false, true, true, true, false, false]), h('p', { class: 'note', text: list.length > shown.length ? 'Showing ' + shown.length + ' of ' + list.length + ' matches.' : list.length + ' matches.' })]);
    };
    input.addEventListener('input', function () { st.filter = input.value; draw(); });
    onlyKept.querySelector('input').addEventListener('change', function (ev) { st.onlyKept = ev.target.checked; draw(); });
    append(host, [h('div', { class: 'toolbar' }, [input, onlyKept]), out]);
    draw();
  }

  function renderFooter() {
    var e = R.endpoints || {};
    var parts = ['Generated ' + R.generatedAt.replace('T', ' ').slice(0, 19) + ' UTC by agent-timing.'];
    if (e.metricsUrl) parts.push('Prometheus endpoint: ' + e.metricsUrl + '.');
    parts.push(e.otlpTracesUrl ? 'Traces were sent to ' + e.otlpTracesUrl + '.' : 'Traces were not exported (set OTEL_EXPORTER_OTLP_ENDPOINT).');
    document.getElementById('footer').textContent = parts.join(' ');
  }

  function renderAll() {
    byId = {};
    R.executions.forEach(function (e) { byId[e.executionId] = e; });
    if (!st.selected || !byId[st.selected]) st.selected = R.slowest ? R.slowest.executionId : (R.executions[0] && R.executions[0].executionId) || null;
    var active = document.activeElement;
    var focusId = active && active.closest && active.closest('#executions .col') ? active.getAttribute('data-id') : null;
    var focusRow = active && active.closest && active.closest('#waterfall .wf-row') ? true : false;
    var filterFocused = active && active.matches && active.matches('#list input[type="search"]');
    [renderHeader, renderBreakdown, renderExecutions, renderWaterfall, renderThroughput, renderTtft, renderSlo, renderPercentiles,
      renderBottlenecks, renderAnomalies, renderTrends, renderRecommendations, renderList, renderFooter].forEach(function (f) {
      try { f(); } catch (err) { if (window.console) console.warn('report: a section could not be drawn', err); }
    });
    if (focusId) { var c = document.querySelector('#executions .col[tabindex="0"]'); if (c) c.focus({ preventScroll: true }); }
    if (focusRow) { var r = document.querySelector('#waterfall .wf-row[tabindex="0"]'); if (r) r.focus({ preventScroll: true }); }
    if (filterFocused) { var f = document.querySelector('#list input[type="search"]'); if (f) { f.focus({ preventScroll: true }); f.setSelectionRange(f.value.length, f.value.length); } }
  }

  function fromHash() {
    var m = /^#exec=(.+)$/.exec(location.hash);
    if (!m) return;
    var id = decodeURIComponent(m[1]);
    if (byId[id]) { st.selected = id; renderWaterfall(); select(id); }
  }

  R.executions.forEach(function (e) { byId[e.executionId] = e; });
  var hm = /^#exec=(.+)$/.exec(location.hash);
  if (hm && byId[decodeURIComponent(hm[1])]) st.selected = decodeURIComponent(hm[1]);
  renderAll();
  window.addEventListener('hashchange', fromHash);
  var lastW = window.innerWidth;
  var resizeTimer = 0;
  window.addEventListener('resize', function () {
    if (window.innerWidth === lastW) return;
    lastW = window.innerWidth;
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { renderExecutions(); renderThroughput(); renderTtft(); renderWaterfall(); }, 120);
  });

  // ---- live: poll the JSON beside the page --------------------------------------------------------------
  if (data.liveJson) {
    var status = document.getElementById('live');
    var poll = function () {
      fetch(data.liveJson, { cache: 'no-store', headers: { accept: 'application/json' } }).then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.json();
      }).then(function (next) {
        status.textContent = '● live · updated ' + new Date().toLocaleTimeString();
        status.classList.remove('stale');
        if (next.version === st.version) return;
        st.version = next.version;
        data.report = R = next.report;
        data.waterfalls = next.waterfalls;
        renderAll();
      }).catch(function () {
        status.textContent = '● live · cannot reach the service, retrying';
        status.classList.add('stale');
      }).then(function () { setTimeout(poll, data.pollMs || 2000); });
    };
    status.textContent = '● live';
    setTimeout(poll, data.pollMs || 2000);
  }
})();
`;
