/**
 * The panel's styles, scoped under `.agd`. Themable with CSS variables on any ancestor:
 * `--agd-bg`, `--agd-fg`, `--agd-muted`, `--agd-accent`, `--agd-warn-bg`, `--agd-warn-fg`,
 * `--agd-font`, `--agd-max-height` (the open panel's, default 70vh). The defaults keep text at a contrast of 7:1 or more.
 */
export const PANEL_CSS = `
.agd{position:fixed;right:12px;bottom:12px;z-index:2147483000;max-width:min(560px,calc(100vw - 24px));
font:13px/1.4 var(--agd-font,ui-monospace,SFMono-Regular,Menlo,monospace);color:var(--agd-fg,#f9fafb)}
.agd button{font:inherit;color:var(--agd-fg,#f9fafb);background:var(--agd-bg,#111827);
border:1px solid var(--agd-accent,#93c5fd);border-radius:6px;padding:4px 10px;cursor:pointer}
.agd button:focus-visible{outline:3px solid var(--agd-accent,#93c5fd);outline-offset:2px}
.agd-toggle{display:block;margin-left:auto}
.agd-panel{margin-top:6px;max-height:var(--agd-max-height,70vh);overflow:auto;background:var(--agd-bg,#111827);
border:1px solid var(--agd-accent,#93c5fd);border-radius:8px;padding:8px 12px}
.agd-panel[hidden]{display:none}
.agd-actions{display:flex;gap:8px}
.agd h3{margin:10px 0 4px;font-size:13px;color:var(--agd-accent,#93c5fd)}
.agd dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}
.agd dt{color:var(--agd-muted,#d1d5db)}
.agd dd{margin:0;overflow-wrap:anywhere}
.agd ol,.agd ul{margin:0;padding-left:18px}
.agd-said{margin:6px 0 0;min-height:1.4em;color:var(--agd-muted,#d1d5db)}
.agd table{width:100%;border-collapse:collapse;margin:4px 0}
.agd caption{text-align:left;color:var(--agd-muted,#d1d5db);padding:2px 0}
.agd th,.agd td{text-align:left;vertical-align:top;padding:2px 8px 2px 0;overflow-wrap:break-word}
.agd th[scope=col]{white-space:nowrap}
.agd th{font-weight:normal;color:var(--agd-muted,#d1d5db)}
.agd tr+tr{border-top:1px solid rgba(147,197,253,.25)}
.agd h4{margin:6px 0 2px;font-size:12px;font-weight:normal;color:var(--agd-muted,#d1d5db)}
.agd .agd-browse{padding:1px 6px;text-align:left}
.agd-spark{display:block;margin:4px 0}
.agd-spark polyline{fill:none;stroke:var(--agd-accent,#93c5fd);stroke-width:1.5}
.agd-moved{background:var(--agd-warn-bg,#7f1d1d);color:var(--agd-warn-fg,#fff);font-weight:bold}
`;
