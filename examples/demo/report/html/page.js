// Draws the demo report from the JSON embedded in the page. Plain DOM and SVG, no libraries,
// no network: the file opens anywhere, offline.
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('report-data').textContent);
  var R = data.report;
  var CAT = data.categories;
  var NS = 'http://www.w3.org/2000/svg';
  var STACK_ORDER = ['queue_wait', 'initialization', 'llm_processing', 'tool_execution', 'external_api', 'database_query',
    'websocket_notification', 'uncategorized', 'overhead'];

  // ---- helpers -------------------------------------------------------------------------------

  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    setAll(node, attrs);
    append(node, children);
    return node;
  }

  function s(tag, attrs, children) {
    var node = document.createElementNS(NS, tag);
    setAll(node, attrs);
    append(node, children);
    return node;
  }

  function setAll(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'text') node.textContent = v;
      else if (k === 'style' && typeof v === 'object') Object.assign(node.style, v);
      else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    });
  }

  function append(node, children) {
    if (children === undefined || children === null) return;
    (Array.isArray(children) ? children : [children]).forEach(function (c) {
      if (c === undefined || c === null || c === false) return;
      node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
  }

  function body(id) {
    return document.querySelector('#' + id + ' .body');
  }

  function fmtMs(v) {
    if (v === undefined || v === null || !isFinite(v)) return '–';
    if (v >= 10000) return (v / 1000).toFixed(1) + ' s';
    if (v >= 100) return Math.round(v).toLocaleString('en-US') + ' ms';
    if (v >= 10) return v.toFixed(1) + ' ms';
    return v.toFixed(2) + ' ms';
  }

  function fmtPct(v, digits) {
    return isFinite(v) ? v.toFixed(digits === undefined ? 1 : digits) + ' %' : '–';
  }

  function color(cat) {
    return (CAT[cat] && CAT[cat].hex) || '#7d8799';
  }

  function catLabel(cat) {
    return (CAT[cat] && CAT[cat].label) || cat;
  }

  function metricLabel(t) {
    return data.metricLabels[t] || t;
  }

  function shortId(id) {
    return id.replace(/^run-\d+-/, '#');
  }

  /** Round-number ticks covering [0, max]. */
  function ticks(max, count) {
    var raw = max / Math.max(1, count);
    var mag = Math.pow(10, Math.floor(Math.log10(raw || 1)));
    var step = [1, 2, 2.5, 5, 10].map(function (m) { return m * mag; }).find(function (st) { return st >= raw; }) || 10 * mag;
    var out = [];
    for (var v = 0; v <= max + 1e-9; v += step) out.push(v);
    return out;
  }

  function tickLabel(v, max) {
    return max >= 2000 ? (v / 1000).toFixed(v % 1000 === 0 ? 0 : 1) + ' s' : Math.round(v) + ' ms';
  }

  var tipEl = document.getElementById('tooltip');
  function tip(node, html) {
    node.addEventListener('mousemove', function (e) {
      tipEl.innerHTML = typeof html === 'function' ? html() : html;
      tipEl.classList.add('on');
      var x = e.clientX + 14;
      var y = e.clientY + 14;
      var r = tipEl.getBoundingClientRect();
      if (x + r.width > window.innerWidth - 8) x = e.clientX - r.width - 14;
      if (y + r.height > window.innerHeight - 8) y = e.clientY - r.height - 14;
      tipEl.style.left = x + 'px';
      tipEl.style.top = y + 'px';
    });
    node.addEventListener('mouseleave', function () { tipEl.classList.remove('on'); });
  }

  function esc(t) {
    return String(t).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }

  function table(head, rows, numeric) {
    return h('table', null, [
      h('thead', null, h('tr', null, head.map(function (t, i) { return h('th', { class: numeric[i] ? 'num' : null, text: t }); }))),
      h('tbody', null, rows.map(function (r) {
        return h('tr', null, r.map(function (cell, i) {
          return h('td', { class: numeric[i] ? 'num' : null }, cell);
        }));
      })),
    ]);
  }

  function swatch(cat) {
    return h('span', { class: 'swatch', style: { background: color(cat) } });
  }

  var executionsById = {};
  R.executions.forEach(function (e) { executionsById[e.executionId] = e; });
  var plantedLabel = {};
  R.anomalies.planted.forEach(function (p) { plantedLabel[p.executionId] = p.label; });

  // ---- header ----------------------------------------------------------------------------------

  function resourcesText() {
    var x = R.resources;
    if (!x || !x.samples) return '';
    var parts = [];
    if (x.cpuPercentMean !== undefined) parts.push('CPU ' + fmtPct(x.cpuPercentMean, 0));
    if (x.memoryMbPeak !== undefined) parts.push('RSS ≤ ' + Math.round(x.memoryMbPeak) + ' MB');
    if (x.eventLoopUtilizationPercentMean !== undefined) parts.push('event loop ' + fmtPct(x.eventLoopUtilizationPercentMean, 0) + ' busy');
    return ' · ' + parts.join(' · ');
  }

  function renderHeader() {
    var run = R.run;
    document.getElementById('headline').textContent =
      run.requests + ' requests to ' + run.agentName + ', ' + run.concurrency + ' at a time';
    document.getElementById('subline').textContent =
      'Seed ' + run.seed + ' · ' + run.startedAt.replace('T', ' ').slice(0, 19) + ' UTC · agent-timing ' + run.sdkVersion +
      ' · Node ' + run.node + ' · workload ' + (run.durationMs / 1000).toFixed(1) + ' s' + resourcesText();
    var total = R.percentiles.find(function (p) { return p.metricType === 'total_execution'; }) || {};
    var sloMissed = R.slo.filter(function (x) { return !x.met; }).length;
    var kpis = [
      { label: 'Executions', value: String(run.succeeded), sub: run.failed ? run.failed + ' failed' : 'all succeeded', cls: run.failed ? 'bad' : '' },
      { label: 'Total p50', value: fmtMs(total.p50), sub: 'p95 ' + fmtMs(total.p95) },
      { label: 'Time to first token p95', value: fmtMs(R.ttft.p95), sub: 'p50 ' + fmtMs(R.ttft.p50) },
      { label: 'Efficiency', value: fmtPct(R.breakdown.efficiencyPercent, 0), sub: 'not queued, not unaccounted' },
      { label: 'SLOs met', value: (R.slo.length - sloMissed) + ' / ' + R.slo.length, sub: 'target ' + (R.slo[0] ? R.slo[0].targetPercent : 99) + ' %', cls: sloMissed ? 'bad' : 'good' },
      { label: 'Anomalies', value: String(R.anomalies.total), sub: R.anomalies.planted.filter(function (p) { return p.flagged; }).length + ' of ' + R.anomalies.planted.length + ' planted found' },
    ];
    append(document.getElementById('kpis'), kpis.map(function (k) {
      return h('div', { class: 'kpi ' + (k.cls || '') }, [
        h('div', { class: 'label', text: k.label }), h('div', { class: 'value', text: k.value }), h('div', { class: 'sub', text: k.sub }),
      ]);
    }));
  }

  // ---- where the time went ---------------------------------------------------------------------

  function renderBreakdown() {
    var b = R.breakdown;
    var stack = h('div', { class: 'stack' }, b.categories.map(function (c) {
      var d = h('div', { style: { width: c.percent + '%', background: color(c.category) } });
      tip(d, '<b>' + esc(catLabel(c.category)) + '</b><br>' + fmtPct(c.percent) + ' of all execution time<br><span class="muted">mean ' + fmtMs(c.meanMs) + ' per execution</span>');
      return d;
    }));
    var rows = b.categories.map(function (c) {
      return [
        [swatch(c.category), catLabel(c.category)],
        fmtMs(c.meanMs),
        fmtPct(c.percent),
        h('div', { class: 'sharebar' }, h('div', { style: { width: c.percent + '%', background: color(c.category) } })),
      ];
    });
    append(body('breakdown'), [stack, table(['Category', 'Mean per execution', 'Share', ''], rows, [false, true, true, false])]);
  }

  // ---- every execution (stacked columns) -------------------------------------------------------

  var columns = {};

  function select(executionId) {
    Object.keys(columns).forEach(function (id) { columns[id].classList.toggle('selected', id === executionId); });
  }

  function renderExecutions() {
    var list = R.executions.slice().sort(function (a, b) { return a.startOffsetMs - b.startOffsetMs; });
    var W = 1120, H = 240, left = 52, right = 8, top = 14, bottom = 26;
    var maxTotal = Math.max.apply(null, list.map(function (e) { return e.totalMs; }));
    var yTicks = ticks(maxTotal, 4);
    var yMax = yTicks[yTicks.length - 1] < maxTotal ? maxTotal : yTicks[yTicks.length - 1];
    var plotW = W - left - right, plotH = H - top - bottom;
    var colW = plotW / list.length;
    var y = function (v) { return top + plotH - (v / yMax) * plotH; };
    var root = s('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Execution time of every request, stacked by category' });
    yTicks.forEach(function (v) {
      root.appendChild(s('line', { class: 'grid', x1: left, x2: W - right, y1: y(v), y2: y(v) }));
      root.appendChild(s('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', text: tickLabel(v, yMax) }));
    });
    var sloMs = 5000;
    if (sloMs <= yMax) {
      root.appendChild(s('line', { x1: left, x2: W - right, y1: y(sloMs), y2: y(sloMs), stroke: '#ef5f6b', 'stroke-dasharray': '4 4' }));
      root.appendChild(s('text', { x: W - right, y: y(sloMs) - 4, 'text-anchor': 'end', text: 'total ≤ 5 s objective', style: { fill: '#ef5f6b' } }));
    }
    list.forEach(function (e, i) {
      var x = left + i * colW;
      var g = s('g', { class: 'col' });
      columns[e.executionId] = g;
      g.appendChild(s('rect', { class: 'hit', x: x, y: top, width: colW, height: plotH, fill: 'transparent' }));
      var acc = 0;
      STACK_ORDER.forEach(function (cat) {
        var v = e.categories[cat] || 0;
        if (v <= 0) return;
        var y0 = y(acc), y1 = y(acc + v);
        g.appendChild(s('rect', { x: x + colW * 0.12, y: y1, width: Math.max(0.6, colW * 0.76), height: Math.max(0, y0 - y1), fill: color(cat) }));
        acc += v;
      });
      if (e.incident) g.appendChild(s('text', { x: x + colW / 2, y: y(e.totalMs) - 4, 'text-anchor': 'middle', text: '⚑', style: { fill: '#e8b339', fontSize: '10px' } }));
      tip(g, function () {
        var top3 = Object.keys(e.categories).filter(function (k) { return e.categories[k] > 0; })
          .sort(function (a, b) { return e.categories[b] - e.categories[a]; }).slice(0, 4)
          .map(function (k) { return '<span class="swatch" style="background:' + color(k) + '"></span>' + esc(catLabel(k)) + ' ' + fmtMs(e.categories[k]); }).join('<br>');
        return '<b>' + esc(shortId(e.executionId)) + '</b> · ' + fmtMs(e.totalMs) + (e.ttftMs !== undefined ? ' · TTFT ' + fmtMs(e.ttftMs) : '') +
          (e.incident ? '<br><span style="color:#e8b339">⚑ ' + esc(plantedLabel[e.executionId] || e.incident) + '</span>' : '') +
          '<br>' + top3 + '<br><span class="muted">click for its waterfall</span>';
      });
      g.addEventListener('click', function () {
        renderWaterfall(e.executionId);
        document.getElementById('waterfall').scrollIntoView({ behavior: 'smooth', block: 'start' });
      });
      root.appendChild(g);
    });
    root.appendChild(s('text', { x: left, y: H - 6, text: 'first request' }));
    root.appendChild(s('text', { x: W - right, y: H - 6, 'text-anchor': 'end', text: 'last request →' }));
    var legend = h('div', { class: 'legend' }, STACK_ORDER.filter(function (c) { return R.breakdown.categories.some(function (x) { return x.category === c; }); })
      .map(function (c) { return h('span', null, [swatch(c), catLabel(c)]); }).concat([h('span', { style: { color: '#e8b339' } }, '⚑ planted slow outlier')]));
    append(body('executions'), [root, legend]);
  }

  // ---- waterfall ---------------------------------------------------------------------------------

  function renderWaterfall(executionId) {
    var rows = data.waterfalls[executionId];
    var e = executionsById[executionId];
    var host = body('waterfall');
    host.innerHTML = '';
    select(executionId);
    if (!rows || !e) return;
    var total = e.totalMs;
    var W = 1120, labelW = 250, durW = 78, rowH = 24, top = 26;
    var plotW = W - labelW - durW;
    var H = top + rows.length * rowH + 8;
    var x = function (v) { return labelW + (v / total) * plotW; };
    var root = s('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Waterfall of execution ' + executionId });
    var defs = s('defs');
    root.appendChild(defs);
    ticks(total, 6).forEach(function (v) {
      root.appendChild(s('line', { class: 'grid', x1: x(v), x2: x(v), y1: top - 6, y2: H - 4 }));
      root.appendChild(s('text', { x: x(v), y: top - 10, 'text-anchor': 'middle', text: tickLabel(v, total) }));
    });
    var criticalMs = 0;
    rows.forEach(function (r, i) {
      var yTop = top + i * rowH;
      var g = s('g', { class: 'row' });
      g.appendChild(s('rect', { class: 'band', x: 0, y: yTop, width: W, height: rowH, fill: i % 2 ? 'rgba(255,255,255,0.015)' : 'transparent' }));
      var name = r.kind === 'span' ? r.name + '  (fetch, auto)' : r.name;
      var c = r.kind === 'execution' ? '#9aa5b8' : color(r.category);
      if (r.kind !== 'execution') g.appendChild(s('circle', { cx: 12 + r.depth * 14, cy: yTop + 12, r: 3.5, fill: c }));
      g.appendChild(s('text', { class: 'label' + (r.kind === 'span' ? ' span' : ''), x: (r.kind === 'execution' ? 8 : 20) + r.depth * 14, y: yTop + 16, text: name, style: r.kind === 'execution' ? { fontWeight: 650 } : null }));
      var bx = x(r.startMs), bw = Math.max(1.5, x(r.endMs) - x(r.startMs));
      g.appendChild(s('rect', { x: bx, y: yTop + 6, width: bw, height: rowH - 12, rx: 2, fill: c, 'fill-opacity': 0.28, stroke: c, 'stroke-opacity': 0.5 }));
      (r.critical || []).forEach(function (seg) {
        criticalMs += seg[1] - seg[0];
        g.appendChild(s('rect', { x: x(seg[0]), y: yTop + 5, width: Math.max(1, x(seg[1]) - x(seg[0])), height: rowH - 10, rx: 2, fill: c }));
      });
      (r.marks || []).forEach(function (m) {
        var mx = x(m.atMs);
        g.appendChild(s('path', { d: 'M' + (mx - 5) + ' ' + (yTop + 1) + ' L' + (mx + 5) + ' ' + (yTop + 1) + ' L' + mx + ' ' + (yTop + 8) + ' Z', fill: '#ffffff' }));
      });
      g.appendChild(s('text', { x: W - 4, y: yTop + 16, 'text-anchor': 'end', text: fmtMs(r.endMs - r.startMs) }));
      tip(g, function () {
        var crit = (r.critical || []).reduce(function (a, seg) { return a + seg[1] - seg[0]; }, 0);
        return '<b>' + esc(r.name) + '</b>' + (r.kind === 'span' ? ' <span class="muted">(undici instrumentation)</span>' : '') +
          '<br>' + (r.category ? '<span class="swatch" style="background:' + color(r.category) + '"></span>' + esc(catLabel(r.category)) + '<br>' : '') +
          fmtMs(r.startMs) + ' → ' + fmtMs(r.endMs) + ' · ' + fmtMs(r.endMs - r.startMs) +
          '<br><span class="muted">on the critical path: ' + fmtMs(crit) + '</span>' +
          (r.marks || []).map(function (m) { return '<br>▼ ' + esc(m.label) + ' at ' + fmtMs(m.atMs); }).join('');
      });
      root.appendChild(g);
    });
    if (e.ttftMs !== undefined) {
      root.appendChild(s('line', { x1: x(e.ttftMs), x2: x(e.ttftMs), y1: top - 4, y2: H - 4, stroke: '#ffffff', 'stroke-opacity': 0.55, 'stroke-dasharray': '3 3' }));
      root.appendChild(s('text', { x: x(e.ttftMs) + 4, y: H - 6, text: 'first token ' + fmtMs(e.ttftMs), style: { fill: '#ffffff' } }));
    }
    var pills = [h('b', { text: 'Execution ' + shortId(executionId) }), h('span', { class: 'pill', text: fmtMs(total) })];
    if (e.ttftMs !== undefined) pills.push(h('span', { class: 'pill', text: 'TTFT ' + fmtMs(e.ttftMs) }));
    if (e.incident) pills.push(h('span', { class: 'pill warn', text: '⚑ ' + (plantedLabel[executionId] || e.incident) }));
    if (executionId === R.slowest.executionId) pills.push(h('span', { class: 'pill bad', text: 'slowest of the run' }));
    else pills.push(h('button', { class: 'link', text: 'back to the slowest', onclick: function () { renderWaterfall(R.slowest.executionId); } }));
    var legend = h('div', { class: 'legend' }, [
      h('span', null, [h('span', { class: 'swatch', style: { background: '#b57bee' } }), 'solid: on the critical path']),
      h('span', null, [h('span', { class: 'swatch', style: { background: 'rgba(181,123,238,0.3)', border: '1px solid rgba(181,123,238,0.6)' } }), 'faded: running, not waited for']),
      h('span', null, '▼ first token of a stream'),
      h('span', null, 'italic: span made by the undici (fetch) instrumentation, no manual phase'),
    ]);
    append(host, [h('div', { class: 'waterfall-title' }, pills), root, legend]);
  }

  // ---- TTFT ----------------------------------------------------------------------------------------

  function renderTtft() {
    var values = R.executions.map(function (e) { return e.ttftMs; }).filter(function (v) { return v !== undefined; });
    var t = R.ttft;
    var maxV = Math.max.apply(null, values.concat([t.sloMs * 1.1]));
    var bin = maxV > 3000 ? 200 : 100;
    var nBins = Math.ceil(maxV / bin);
    var counts = new Array(nBins).fill(0);
    values.forEach(function (v) { counts[Math.min(nBins - 1, Math.floor(v / bin))]++; });
    var W = 1120, H = 220, left = 40, right = 10, top = 16, bottom = 26;
    var plotW = W - left - right, plotH = H - top - bottom;
    var maxC = Math.max.apply(null, counts.concat([1]));
    var x = function (v) { return left + (v / (nBins * bin)) * plotW; };
    var y = function (c) { return top + plotH - (c / maxC) * plotH; };
    var root = s('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Time to first token histogram' });
    ticks(maxC, 4).forEach(function (c) {
      root.appendChild(s('line', { class: 'grid', x1: left, x2: W - right, y1: y(c), y2: y(c) }));
      root.appendChild(s('text', { x: left - 6, y: y(c) + 4, 'text-anchor': 'end', text: String(c) }));
    });
    counts.forEach(function (c, i) {
      if (!c) return;
      var from = i * bin;
      var rect = s('rect', { x: x(from) + 1, y: y(c), width: Math.max(1, x(from + bin) - x(from) - 2), height: top + plotH - y(c), rx: 2, fill: from >= t.sloMs ? '#ef5f6b' : '#4cc38a' });
      tip(rect, '<b>' + from + '–' + (from + bin) + ' ms</b><br>' + c + ' execution' + (c === 1 ? '' : 's'));
      root.appendChild(rect);
    });
    ticks(nBins * bin, 8).forEach(function (v) {
      root.appendChild(s('text', { x: x(v), y: H - 6, 'text-anchor': 'middle', text: tickLabel(v, nBins * bin) }));
    });
    root.appendChild(s('line', { x1: x(t.sloMs), x2: x(t.sloMs), y1: top - 6, y2: top + plotH, stroke: '#ef5f6b', 'stroke-dasharray': '4 4' }));
    root.appendChild(s('text', { x: x(t.sloMs) + 6, y: top + 4, text: 'objective 1 s', style: { fill: '#ef5f6b' } }));
    [['p50', t.p50], ['p95', t.p95], ['p99', t.p99]].forEach(function (p) {
      if (p[1] === undefined) return;
      root.appendChild(s('line', { x1: x(p[1]), x2: x(p[1]), y1: top + 14, y2: top + plotH, stroke: '#e7eaf0', 'stroke-opacity': 0.35 }));
      root.appendChild(s('text', { x: x(p[1]), y: top + 10, 'text-anchor': 'middle', text: p[0], style: { fill: '#e7eaf0' } }));
    });
    append(body('ttft'), [
      root,
      h('div', { class: 'legend' }, ['p50 ' + fmtMs(t.p50), 'p95 ' + fmtMs(t.p95), 'p99 ' + fmtMs(t.p99), 'max ' + fmtMs(t.max)].map(function (x) { return h('span', { text: x }); })),
    ]);
  }

  // ---- SLOs, percentiles, bottlenecks, anomalies, trends, recommendations --------------------------

  function renderSlo() {
    append(body('slo'), h('div', { class: 'slo-cards' }, R.slo.map(function (x) {
      var left = Math.max(0, Math.min(100, x.budgetRemainingPercent));
      return h('div', { class: 'slo-card ' + (x.met ? 'met' : 'missed') }, [
        h('div', { class: 'note', text: metricLabel(x.metricType) + ' ≤ ' + fmtMs(x.thresholdMs) }),
        h('div', { class: 'big', text: fmtPct(x.compliancePercent) }),
        h('div', { class: 'note', text: (x.total - x.good) + ' of ' + x.total + ' missed · target ' + x.targetPercent + ' %' }),
        h('div', { class: 'budget' }, h('div', { style: { width: left + '%', background: x.met ? '#4cc38a' : '#ef5f6b' } })),
        h('div', { class: 'note', text: x.budgetRemainingPercent >= 0 ? fmtPct(x.budgetRemainingPercent, 0) + ' of the error budget left'
          : 'error budget exhausted: ' + (x.total - x.good) + ' missed, ' + +(x.total * (100 - x.targetPercent) / 100).toFixed(1) + ' allowed' }),
      ]);
    })));
  }

  function renderPercentiles() {
    var maxP99 = Math.max.apply(null, R.percentiles.map(function (p) { return p.p99; }).concat([1]));
    var logX = function (v) { return (Math.log10(Math.max(0.1, v)) + 1) / (Math.log10(maxP99) + 1) * 100; };
    var rows = R.percentiles.map(function (p) {
      var range = h('div', { style: { position: 'relative', height: '10px', minWidth: '160px', background: 'var(--panel-2)', borderRadius: '5px' } }, [
        h('div', { style: { position: 'absolute', left: logX(p.p50) + '%', width: Math.max(0.8, logX(p.p99) - logX(p.p50)) + '%', top: 0, bottom: 0, background: 'var(--accent)', opacity: 0.45, borderRadius: '5px' } }),
        h('div', { style: { position: 'absolute', left: logX(p.p95) + '%', width: '2px', top: '-2px', bottom: '-2px', background: 'var(--text)' } }),
      ]);
      return [metricLabel(p.metricType), String(p.count), fmtMs(p.p50), h('b', { text: fmtMs(p.p95) }), fmtMs(p.p99), fmtMs(p.max), range];
    });
    append(body('percentiles'), [
      table(['Metric', 'n', 'p50', 'p95', 'p99', 'max', 'p50 – p99, log scale (tick: p95)'], rows, [false, true, true, true, true, true, false]),
    ]);
  }

  function renderBottlenecks() {
    var list = R.bottlenecks.slice(0, 8);
    var most = Math.max.apply(null, list.map(function (b) { return b.timeAboveMs; }).concat([1]));
    var rows = list.map(function (b) {
      var barEl = h('div', { class: 'sharebar' }, h('div', { style: { width: (100 * b.timeAboveMs / most) + '%', background: 'var(--bad)', opacity: 0.75 } }));
      return [metricLabel(b.metricType), fmtMs(b.thresholdMs), String(b.atOrAbove), h('b', { text: fmtMs(b.timeAboveMs) }), barEl, fmtPct(b.percentOfTypeTime, 0), fmtMs(b.maxMs)];
    });
    append(body('bottlenecks'), table(['Metric', 'p95', 'n ≥ p95', 'Time ≥ p95', '', 'Share of its time', 'max'], rows, [false, true, true, true, false, true, true]));
  }

  function execLink(id) {
    if (!id) return '';
    return h('button', { class: 'link', text: shortId(id), onclick: function () { renderWaterfall(id); document.getElementById('waterfall').scrollIntoView({ behavior: 'smooth' }); } });
  }

  function renderAnomalies() {
    var a = R.anomalies;
    document.querySelector('#anomalies .note').textContent = 'detectAnomalies(): ' + a.method + '. ' + a.total + ' observations flagged.';
    var rows = a.byType.map(function (t) {
      return [metricLabel(t.metricType), String(t.count), h('span', { style: { whiteSpace: 'nowrap' } }, [h('b', { text: fmtMs(t.worst.value) }), h('span', { class: 'note', text: '  vs median ' + fmtMs(t.worst.median) })]), t.worst.zScore.toFixed(1),
        [execLink(t.worst.executionId), t.worst.incident ? h('span', { class: 'pill warn', text: '⚑ planted', style: { marginLeft: '6px' } }) : '']];
    });
    var planted = a.planted.map(function (p) {
      return [h('span', { class: 'pill ' + (p.flagged ? 'good' : 'bad'), text: p.flagged ? 'flagged' : 'missed' }), execLink(p.executionId), p.label];
    });
    append(body('anomalies'), h('div', { class: 'anomalies' }, [
      h('div', { class: 'extremes' }, [h('h3', { text: 'Most extreme per metric' }), table(['Metric', 'Count', 'Most extreme', 'z', 'Execution'], rows, [false, true, false, true, false])]),
      h('div', null, [h('h3', { text: 'Slow outliers planted by the seed' }), table(['', 'Execution', 'What happened'], planted, [false, false, false])]),
    ]));
  }

  function renderTrends() {
    var t = R.trends;
    document.querySelector('#trends .note').textContent = t.basis + ' (the aggregator’s own trends compare five-minute windows).';
    var arrow = { improving: '↘ improving', stable: '→ stable', degrading: '↗ degrading' };
    var rows = t.items.map(function (x) {
      return [metricLabel(x.metricType), fmtMs(x.firstHalfP95), fmtMs(x.secondHalfP95), (x.changePercent >= 0 ? '+' : '') + x.changePercent.toFixed(0) + ' %',
        h('span', { class: 'pill ' + x.trend, text: arrow[x.trend] })];
    });
    append(body('trends'), table(['Metric', 'p95, first half', 'p95, second half', 'Change', 'Trend'], rows, [false, true, true, true, false]));
  }

  function renderRecommendations() {
    var r = R.recommendations;
    var list = function (items) {
      return items.length ? h('ol', { class: 'recs' }, items.map(function (t) { return h('li', { text: t }); })) : h('p', { class: 'note', text: 'Nothing stands out.' });
    };
    append(body('recommendations'), [
      h('h3', { text: 'For the average execution' }), list(r.average),
      h('h3', { text: 'For the slowest execution (' + shortId(R.slowest.executionId) + ')' }), list(r.slowest),
    ]);
  }

  function renderFooter() {
    var e = R.endpoints;
    var parts = ['Generated by npm run demo (examples/demo).'];
    if (e.metricsUrl) parts.push('Prometheus endpoint during the run: ' + e.metricsUrl + '.');
    parts.push(e.otlpTracesUrl ? 'Traces were sent to ' + e.otlpTracesUrl + '.' : 'Traces were not exported (set OTEL_EXPORTER_OTLP_ENDPOINT).');
    document.getElementById('footer').textContent = parts.join(' ');
  }

  renderHeader();
  renderBreakdown();
  renderExecutions();
  renderWaterfall(R.slowest.executionId);
  renderTtft();
  renderSlo();
  renderPercentiles();
  renderBottlenecks();
  renderAnomalies();
  renderTrends();
  renderRecommendations();
  renderFooter();
})();
