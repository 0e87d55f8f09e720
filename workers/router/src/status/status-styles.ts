/** The status page's stylesheet, inline so the page needs nothing else. */
export const STATUS_CSS = `
:root { color-scheme: light; --up: #1a7f37; --down: #b42318; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, sans-serif; color: var(--ink); margin: 0 auto; max-width: 72rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
p.summary { font-size: 1.1rem; margin: .25rem 0; }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: #f6f8fa; }
th[scope="row"] { white-space: nowrap; background: none; }
.state, td:nth-child(4) { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
.state { display: inline-block; padding: 0 .5rem; border-radius: 1rem; font-weight: 600; color: #fff; }
.state.up { background: var(--up); }
.state.down { background: var(--down); }
.state.up::before { content: "✔ "; }
.state.down::before { content: "✖ "; }
.bar { display: flex; height: 1.5rem; border: 1px solid var(--line); border-radius: .25rem; overflow: hidden; }
.bar span { display: block; height: 100%; }
.bar .up { background: var(--up); }
.bar .down { background: repeating-linear-gradient(45deg, var(--down), var(--down) 6px, #d9534f 6px, #d9534f 12px); }
.axis { display: flex; justify-content: space-between; font-size: .8rem; color: var(--muted); }
.meter { display: inline-block; height: .6rem; background: #57606a; vertical-align: middle; margin-left: .4rem; }
ul.plain { padding-left: 1.2rem; margin: .25rem 0; }
`;
