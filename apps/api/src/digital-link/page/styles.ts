// The page's CSS: mobile first, system fonts only (no font from another host), GOV.UK-like contrast.
export const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:1.1875rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#0b0c0c;background:#fff}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.375rem;margin:2rem 0 .5rem;border-top:1px solid #b1b4b6;padding-top:1rem}
.verdict{padding:1rem;border-left:.5rem solid;margin:0 0 1rem}
.verdict.ok{border-color:#00703c;background:#e8f5ee}
.verdict.caution{border-color:#b35900;background:#fff4e5}
.verdict.stop{border-color:#d4351c;background:#fdecea}
.verdict h1{margin-top:0}
.verdict p{margin:.5rem 0}
.todo{font-weight:700}
.detail{font-size:1rem;color:#383f43}
dl{margin:0}
dt{font-weight:700;margin-top:.5rem}
dd{margin:0;overflow-wrap:anywhere}
ol.journey{padding-left:1.25rem}
ol.journey li{margin:.5rem 0}
.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.875rem;overflow-wrap:anywhere}
.chart svg{max-width:100%;height:auto}
.chart .band{fill:#cce2d8}
.chart .axis{stroke:#505a5f;stroke-width:1}
.chart .line{fill:none;stroke:#1d70b8;stroke-width:2}
.chart .out{fill:#d4351c}
.chart .label{font-size:10px;fill:#0b0c0c}
figcaption{font-size:1rem;color:#383f43}
.recall{border:3px solid #d4351c;padding:1rem}
footer{margin-top:2rem;font-size:1rem;color:#383f43}
`;
