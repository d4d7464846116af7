// The report page's style sheet (inline in the page; allowed by its Content-Security-Policy hash).
export const PAGE_STYLE = String.raw`
:root {
  --bg: #0d111a; --panel: #151b27; --panel-2: #1b2331; --line: #263042; --text: #e7eaf0; --muted: #8b95a8;
  --accent: #6ea8fe; --good: #4cc38a; --bad: #ef5f6b; --warn: #e8b339;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace;
}
* { box-sizing: border-box; }
html { background: var(--bg); -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--text); font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; overflow-wrap: anywhere; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 26px; font-weight: 650; margin: 4px 0 2px; letter-spacing: -0.01em; }
h2 { font-size: 16px; font-weight: 620; margin: 0; }
h3 { font-size: 13px; color: var(--muted); font-weight: 550; margin: 12px 0 4px; }
h3:first-child { margin-top: 0; }
.note { color: var(--muted); margin: 2px 0 0; font-size: 13px; }
.brand { color: var(--accent); font-weight: 700; letter-spacing: 0.02em; font-size: 13px; text-transform: uppercase; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.brand span { color: var(--muted); font-weight: 500; }
.live { color: var(--good); font-size: 12px; text-transform: none; letter-spacing: 0; }
.live.stale { color: var(--warn); }
.top { margin-bottom: 18px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin-top: 18px; }
.kpi { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; min-width: 0; }
.kpi .label, .kpi .sub { color: var(--muted); font-size: 12px; }
.kpi .value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; margin-top: 2px; }
.kpi.good .value { color: var(--good); }
.kpi.bad .value { color: var(--bad); }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 16px 18px 18px; margin-top: 14px; min-width: 0; }
section > header { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; margin-bottom: 12px; }
section > header .note { margin: 0; }
.grid2 { display: grid; grid-template-columns: 3fr 2fr; gap: 22px; }
@media (max-width: 1000px) { .grid2 { grid-template-columns: minmax(0, 1fr); } }
.scroll { overflow-x: auto; max-width: 100%; -webkit-overflow-scrolling: touch; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th { text-align: left; color: var(--muted); font-weight: 500; font-size: 12px; padding: 6px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td { padding: 7px 10px; border-bottom: 1px solid var(--line); overflow-wrap: normal; }
td:first-child { white-space: nowrap; }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; white-space: nowrap; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 3px; margin-right: 8px; vertical-align: -1px; flex: none; }
.stack { display: flex; height: 34px; border-radius: 8px; overflow: hidden; margin: 4px 0 14px; background: var(--panel-2); }
.stack div { height: 100%; min-width: 1px; }
.sharebar { height: 8px; border-radius: 4px; background: var(--panel-2); overflow: hidden; min-width: 80px; }
.sharebar div { height: 100%; border-radius: 4px; }
.chart { width: 100%; min-width: 0; }
svg { display: block; overflow: visible; }
svg text { fill: var(--muted); font-size: 11px; font-family: inherit; }
svg line.grid { stroke: var(--line); }
svg .col { cursor: pointer; outline: none; }
svg .col:hover rect.hit, svg .col:focus rect.hit { fill: rgba(255, 255, 255, 0.08); }
svg .col:focus rect.hit { stroke: var(--text); stroke-width: 2; }
svg .selected rect.hit { fill: rgba(110, 168, 254, 0.18); stroke: var(--accent); stroke-width: 1; }
.legend { display: flex; gap: 6px 14px; flex-wrap: wrap; color: var(--muted); font-size: 12px; margin-top: 8px; }
.legend span { display: inline-flex; align-items: center; }
.pill { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; background: var(--panel-2); color: var(--muted); border: 1px solid var(--line); white-space: nowrap; }
.pill.warn { color: var(--warn); border-color: rgba(232, 179, 57, 0.4); }
.pill.good, .pill.improving { color: var(--good); border-color: rgba(76, 195, 138, 0.4); }
.pill.bad, .pill.degrading { color: var(--bad); border-color: rgba(239, 95, 107, 0.4); }
button { font: inherit; color: var(--text); background: var(--panel-2); border: 1px solid var(--line); border-radius: 6px; padding: 3px 10px; cursor: pointer; min-height: 28px; }
button:hover { border-color: var(--accent); }
button[aria-pressed="true"] { background: rgba(110, 168, 254, 0.2); border-color: var(--accent); }
button.link { background: none; border: 0; color: var(--accent); padding: 0; min-height: 0; text-align: left; }
button.link:hover { text-decoration: underline; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
a { color: var(--accent); }
input[type="search"] { font: inherit; color: var(--text); background: var(--panel-2); border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; min-width: 0; width: 14em; max-width: 100%; }
.toolbar { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin-bottom: 10px; }
.slo-cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; }
.slo-card { background: var(--panel-2); border-radius: 10px; padding: 14px; border: 1px solid var(--line); }
.slo-card .big { font-size: 30px; font-weight: 700; font-variant-numeric: tabular-nums; }
.slo-card.met .big { color: var(--good); }
.slo-card.missed .big { color: var(--bad); }
.budget { height: 6px; border-radius: 3px; background: var(--line); margin-top: 10px; overflow: hidden; }
.budget div { height: 100%; }
ol.recs { margin: 0; padding-left: 22px; }
ol.recs li { margin: 6px 0; }
.wf-title { display: flex; gap: 8px 10px; align-items: baseline; flex-wrap: wrap; margin-bottom: 8px; }
.wf-title b { font-size: 15px; }
.wf { border-top: 1px solid var(--line); }
.wf-axis, .wf-row { display: grid; grid-template-columns: minmax(120px, 34%) minmax(0, 1fr) 64px; align-items: center; }
.wf-axis { color: var(--muted); font-size: 11px; height: 22px; }
.wf-axis .track { position: relative; height: 100%; }
.wf-axis .tick { position: absolute; top: 4px; transform: translateX(-50%); white-space: nowrap; }
.wf-row { min-height: 26px; border-bottom: 1px solid rgba(38, 48, 66, 0.55); cursor: pointer; }
.wf-row:hover, .wf-row.current { background: rgba(255, 255, 255, 0.04); }
.wf-row[aria-selected="true"] { background: rgba(110, 168, 254, 0.14); }
.wf-row:focus { outline: 2px solid var(--accent); outline-offset: -2px; }
.wf-name { display: flex; align-items: center; gap: 4px; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-size: 12px; }
.wf-name .txt { overflow: hidden; text-overflow: ellipsis; }
.wf-name .span { font-style: italic; color: #b8c1d1; }
.wf-toggle { width: 18px; height: 18px; min-height: 0; padding: 0; border: 0; background: none; color: var(--muted); flex: none; }
.wf-pad { width: 18px; flex: none; }
.wf-track { position: relative; height: 26px; overflow: hidden; }
.wf-bar { position: absolute; top: 8px; height: 10px; border-radius: 2px; min-width: 2px; opacity: 0.35; }
.wf-crit { position: absolute; top: 7px; height: 12px; border-radius: 2px; min-width: 2px; }
.wf-mark { position: absolute; top: 0; width: 0; height: 0; border-left: 5px solid transparent; border-right: 5px solid transparent; border-top: 7px solid #fff; transform: translateX(-5px); }
.wf-dur { text-align: right; font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
.wf-detail { background: var(--panel-2); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin-top: 10px; font-size: 13px; }
.wf-detail dl { display: grid; grid-template-columns: minmax(0, max-content) minmax(0, 1fr); gap: 2px 12px; margin: 6px 0 0; }
.wf-detail dt { color: var(--muted); font-family: var(--mono); font-size: 12px; }
.wf-detail dd { margin: 0; font-family: var(--mono); font-size: 12px; overflow-wrap: anywhere; }
#tooltip { position: fixed; z-index: 10; display: none; background: #0a0e16; border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; font-size: 12px; max-width: min(340px, calc(100vw - 16px)); box-shadow: 0 8px 24px rgba(0, 0, 0, 0.45); }
#tooltip.on { display: block; }
#tooltip .muted { color: var(--muted); }
#tooltip .close { position: absolute; top: 2px; right: 4px; min-height: 0; padding: 0 6px; border: 0; background: none; color: var(--muted); }
footer { margin-top: 18px; }
code { font-family: var(--mono); font-size: 12px; background: var(--panel-2); padding: 1px 5px; border-radius: 4px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 600px) {
  main { padding: 16px 10px 32px; }
  h1 { font-size: 20px; }
  section { padding: 12px 10px 14px; }
  .kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .kpi .value { font-size: 18px; }
  .wf-axis, .wf-row { grid-template-columns: minmax(96px, 38%) minmax(0, 1fr) 62px; }
  th, td { padding: 6px 6px; }
}
`;
