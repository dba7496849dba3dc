/** The console's only stylesheet, served as /static/console.css (no inline styles: strict CSP). */
export const CONSOLE_CSS = `
:root { --fg: #1f2328; --muted: #5f6b76; --line: #d8dee4; --bg: #f6f8fa; --accent: #1d5fa8;
  --danger: #b42318; --warn-bg: #fff4e5; --em-bg: #fdecea; --ok-bg: #e7f6ec; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); line-height: 1.55;
  font: 15px/1.55 "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; }
a { color: var(--accent); }
header.top { background: #17324d; color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap;
  align-items: center; gap: .25rem 1rem; }
header.top .brand { font-weight: 600; margin-right: .5rem; }
header.top nav { display: flex; flex-wrap: wrap; gap: .25rem .9rem; flex: 1; }
header.top a { color: #dbe9f7; text-decoration: none; }
header.top a.active { color: #fff; border-bottom: 2px solid #fff; }
header.top .who { font-size: .9em; color: #c3d4e6; display: flex; gap: .5rem; align-items: center; }
header.top .who button { background: none; border: 1px solid #6b8bab; color: #fff; padding: .1rem .5rem; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.35rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.4rem 0 .6rem; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; margin-bottom: 1rem; }
.flash { padding: .6rem .9rem; border-radius: 6px; margin-bottom: 1rem; }
.flash.ok { background: var(--ok-bg); border: 1px solid #9bd3ae; }
.flash.error { background: var(--em-bg); border: 1px solid #f0a9a0; }
.muted { color: var(--muted); }
.small { font-size: .88em; }
form.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: .6rem .8rem; align-items: end; }
label { display: block; font-size: .88em; color: var(--muted); }
label > input, label > select, label > textarea { display: block; width: 100%; margin-top: .15rem; }
label.check { display: flex; align-items: center; gap: .35rem; color: var(--fg); }
label.check > input { display: inline-block; width: auto; margin: 0; }
fieldset { border: 1px solid var(--line); border-radius: 4px; display: flex; flex-wrap: wrap; gap: .3rem 1rem; grid-column: 1 / -1; }
.nowrap { white-space: nowrap; }
input, select, textarea, button { font: inherit; padding: .35rem .5rem; border: 1px solid #b8c1ca; border-radius: 4px; background: #fff; color: var(--fg); }
textarea { min-height: 4.5em; }
button, .button { background: var(--accent); color: #fff; border: 1px solid var(--accent); cursor: pointer; text-decoration: none; display: inline-block; padding: .35rem .9rem; border-radius: 4px; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--danger); border-color: var(--danger); }
.actions-row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border-bottom: 1px solid var(--line); padding: .45rem .55rem; text-align: left; vertical-align: top; }
th { background: #eef2f6; font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.overdue td { background: var(--warn-bg); }
tr.emergency td:first-child { border-left: 4px solid var(--danger); }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .82em; border: 1px solid var(--line); background: #f3f4f6; white-space: nowrap; }
.badge.emergency { background: var(--danger); color: #fff; border-color: var(--danger); }
.badge.high { background: #fde7c8; border-color: #f0c17a; }
.badge.overdue { background: #fff0d6; color: #8a4b00; border-color: #f0c17a; }
.badge.final { background: var(--ok-bg); border-color: #9bd3ae; }
.pager { display: flex; gap: .8rem; align-items: center; margin: .8rem 0; flex-wrap: wrap; }
dl.fields { display: grid; grid-template-columns: 8em 1fr; gap: .35rem 1rem; margin: 0; }
dl.fields dt { color: var(--muted); }
dl.fields dd { margin: 0; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.transcript { list-style: none; padding: 0; margin: 0; }
.transcript li { margin: .35rem 0; padding: .45rem .6rem; border-radius: 6px; white-space: pre-wrap; }
.transcript li.resident { background: #eaf2fb; margin-right: 12%; }
.transcript li.bot { background: #f2f2f2; margin-left: 12%; }
.law { white-space: pre-wrap; background: #fbfbf7; border-left: 3px solid #c9b458; padding: .5rem .7rem; margin: .3rem 0 .8rem; }
.timeline { list-style: none; margin: 0; padding: 0; }
.timeline li { padding: .35rem 0; border-bottom: 1px dashed var(--line); }
details.action { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .7rem; margin: .4rem 0; background: #fff; }
details.action summary { cursor: pointer; font-weight: 600; }
details.action form { margin-top: .6rem; display: grid; gap: .5rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: .8rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .7rem .9rem; }
.card .value { font-size: 1.7rem; font-weight: 600; }
.card.warn .value { color: #a45a00; }
svg.trend-chart { width: 100%; height: auto; max-width: 900px; background: #fff; display: block; }
svg.trend-chart .tick { font-size: 12px; fill: #5f6b76; }
svg.trend-chart .legend { font-size: 13px; fill: #1f2328; }
.login { max-width: 380px; margin: 8vh auto; }
.login form { display: grid; gap: .8rem; }
.print-only { display: none; }
@media (max-width: 720px) {
  main { padding: .6rem; }
  .grid2 { grid-template-columns: 1fr; }
  dl.fields { grid-template-columns: 6em 1fr; }
  table.cards-on-phone, table.cards-on-phone tbody, table.cards-on-phone tr, table.cards-on-phone td { display: block; width: 100%; }
  table.cards-on-phone thead { display: none; }
  table.cards-on-phone tr { border: 1px solid var(--line); border-radius: 6px; margin-bottom: .6rem; background: #fff; }
  table.cards-on-phone td { border: none; padding: .2rem .6rem; white-space: normal; }
  table.cards-on-phone td::before { content: attr(data-label) "："; color: var(--muted); }
}
@media print {
  header.top, form.filters, .no-print, details.action, .pager { display: none !important; }
  .print-only { display: block; }
  body { background: #fff; font-size: 12px; }
  main { max-width: none; padding: 0; }
  .panel, .card { border: none; padding: 0; }
  table { page-break-inside: auto; }
  tr { page-break-inside: avoid; }
  svg.trend-chart { max-width: 17cm; }
  a { color: inherit; text-decoration: none; }
}
`;
