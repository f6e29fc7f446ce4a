// Served as /assets/app.css; a string for the same reason as script.ts.
export const APP_CSS = `
:root { --ink:#1f2328; --muted:#656d76; --line:#d0d7de; --bg:#f6f8fa; --accent:#b42318;
  --green:#1a7f37; --yellow:#bf8700; --red:#cf222e; --purple:#8250df; --grey:#8c959f; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.6 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif;
  color:var(--ink); background:var(--bg); }
a { color:#0969da; text-decoration:none; } a:hover { text-decoration:underline; }
header.top { display:flex; align-items:center; gap:18px; padding:10px 24px; background:var(--accent); color:#fff; flex-wrap:wrap; }
header.top a { color:#fff; }
header.top .brand { font-weight:700; font-size:18px; letter-spacing:2px; }
header.top nav { display:flex; gap:14px; flex:1; flex-wrap:wrap; }
header.top nav a.on { border-bottom:2px solid #fff; }
header.top .who { font-size:13px; opacity:.9; }
header.top button { background:transparent; border:1px solid #fff; color:#fff; border-radius:4px; padding:2px 10px; cursor:pointer; }
main { max-width:1200px; margin:0 auto; padding:20px 24px 48px; }
h1 { font-size:22px; margin:4px 0 16px; } h2 { font-size:17px; margin:24px 0 10px; }
.muted { color:var(--muted); font-size:13px; }
.cards { display:grid; grid-template-columns:repeat(auto-fill,minmax(112px,1fr)); gap:10px; margin-bottom:16px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
.card .n { font-size:26px; font-weight:700; } .card .l { color:var(--muted); font-size:13px; }
.panel { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px 16px; margin-bottom:16px; }
.grid2 { display:grid; grid-template-columns:1fr 1fr; gap:16px; align-items:start; }
.panel > h2:first-child { margin-top:0; }
@media (max-width:900px) { .grid2 { grid-template-columns:1fr; } }
.chart { width:100%; height:320px; }
table { width:100%; border-collapse:collapse; background:#fff; }
th, td { text-align:left; padding:7px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#eef1f4; font-weight:600; font-size:13px; white-space:nowrap; }
td.nw { white-space:nowrap; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
.light { display:inline-block; width:12px; height:12px; border-radius:50%; vertical-align:-1px; margin-right:4px; }
.light.green { background:var(--green); } .light.yellow { background:var(--yellow); } .light.red { background:var(--red); }
.light.purple { background:var(--purple); } .light.done { background:var(--grey); } .light.cancelled { background:#d0d7de; }
.badge { display:inline-block; white-space:nowrap; padding:1px 9px; border-radius:10px; font-size:13px; border:1px solid var(--line); background:#fff; }
.badge.assigned { background:#fff8c5; border-color:#d4a72c; } .badge.acknowledged { background:#ddf4ff; border-color:#54aeff; }
.badge.submitted { background:#fbefff; border-color:#c297ff; } .badge.completed { background:#dafbe1; border-color:#4ac26b; }
.badge.cancelled { background:#eaeef2; }
.esc { color:var(--purple); font-weight:600; white-space:nowrap; }
form.filters { display:flex; flex-wrap:wrap; gap:8px; align-items:end; margin-bottom:12px; }
form.filters label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); }
input, select, textarea { font:inherit; padding:4px 6px; border:1px solid var(--line); border-radius:4px; background:#fff; }
textarea { width:100%; min-height:60px; }
button { font:inherit; padding:4px 14px; border-radius:4px; border:1px solid #1f883d; background:#1f883d; color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:var(--ink); border-color:var(--line); }
button:disabled { opacity:.6; }
.actions { display:grid; grid-template-columns:repeat(auto-fill,minmax(320px,1fr)); gap:12px; align-items:start; }
.actions form { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 12px; display:flex; flex-direction:column; gap:6px; }
.actions form h3 { margin:0; font-size:15px; }
.actions label { font-size:13px; color:var(--muted); display:flex; flex-direction:column; gap:2px; }
.form-msg { font-size:13px; min-height:1em; } .form-msg.bad { color:var(--red); } .form-msg.ok { color:var(--green); }
ol.timeline { list-style:none; padding:0; margin:0; }
ol.timeline li { padding:6px 0 6px 14px; border-left:3px solid var(--line); margin-left:6px; }
ol.timeline ul.files { margin:4px 0 0; padding-left:18px; font-size:14px; }
ol.timeline ul.files li { border:0; padding:0; margin:0; }
ol.timeline li .t { color:var(--muted); font-size:13px; margin-right:8px; font-variant-numeric:tabular-nums; }
.prov { color:var(--yellow); font-weight:600; }
.stale { outline:2px dashed var(--yellow); }
.stale::before { content:'任务已更新，刷新页面以查看最新可用操作'; display:block; color:var(--yellow); font-size:13px; }
.flash { animation: flash .8s ease-out; }
@keyframes flash { from { background-color:#fff8c5; } }
.live-dot { font-size:12px; opacity:.6; } body[data-live=on] .live-dot { opacity:1; }
body[data-live=on] .live-dot b { color:#aff5b4; }
.signin { max-width:460px; margin:40px auto; }
.signin-form { display:flex; flex-direction:column; gap:8px; }
.board { display:flex; flex-wrap:wrap; gap:6px; margin-bottom:10px; }
.board .chip { display:inline-flex; align-items:center; padding:2px 8px; border:1px solid var(--line); border-radius:12px;
  font-size:12px; color:var(--ink); background:#fff; font-variant-numeric:tabular-nums; }
.legend { margin-right:12px; white-space:nowrap; }
.panel h3 { font-size:15px; margin:8px 0; }
.pager { margin-top:10px; display:flex; gap:12px; align-items:center; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:4px 14px; margin:0; }
dl.facts dt { color:var(--muted); } dl.facts dd { margin:0; }
.answer { font-size:17px; font-weight:600; } .answer.yes { color:var(--red); } .answer.no { color:var(--green); }
`;
