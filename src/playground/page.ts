/** The playground's HTML page (one document; app.js fills it in). */
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>vaelang playground</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  :root { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; font-size: 14px; color: #1f2328; }
  body { margin: 0; background: #f6f8fa; }
  header { display: flex; gap: 12px; align-items: center; padding: 8px 14px; background: #24292f; color: #fff; flex-wrap: wrap; }
  header h1 { font-size: 16px; margin: 0 12px 0 0; }
  header label { font-size: 13px; }
  header select, header button { font-size: 13px; }
  main { display: grid; grid-template-columns: minmax(420px, 1fr) minmax(420px, 1fr); gap: 12px; padding: 12px; }
  section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 12px; margin-bottom: 12px; }
  section h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #57606a; margin: 0 0 8px; }
  #editor .cm-editor { height: 520px; border: 1px solid #d0d7de; font-size: 13px; }
  #diagnostics { font-family: ui-monospace, monospace; font-size: 12px; white-space: pre-wrap; margin: 8px 0 0; }
  #diagnostics .error { color: #cf222e; } #diagnostics .warning { color: #9a6700; }
  table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
  th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
  .muted { color: #57606a; }
  .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 4px 0; }
  #drop { border: 2px dashed #d0d7de; border-radius: 6px; padding: 10px; text-align: center; color: #57606a; }
  #drop.over { border-color: #0969da; background: #ddf4ff; }
  .err { color: #cf222e; white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 12px; }
  canvas { image-rendering: pixelated; border: 1px solid #eaeef2; margin: 4px 0; max-width: 100%; }
  canvas[width="0"] { display: none; }
  .figure { display: inline-block; margin-right: 12px; vertical-align: top; }
  .caption { font-size: 12px; color: #57606a; max-width: 460px; }
  #status { font-family: ui-monospace, monospace; font-size: 12.5px; }
</style>
</head>
<body>
<header>
  <h1>vaelang playground</h1>
  <label>Example <select id="examples"></select></label>
  <label>Backend <select id="backend"><option value="auto">auto</option></select></label>
  <span id="backend-name" class="muted">starting…</span>
  <button id="share">Share link</button>
  <span id="share-status"></span>
</header>
<main>
  <div>
    <section>
      <h2>Program <span id="file-name" class="muted"></span></h2>
      <div id="editor"></div>
      <div id="diagnostics"></div>
    </section>
    <section>
      <h2>Estimator plan</h2>
      <div id="plan"></div>
    </section>
  </div>
  <div>
    <section>
      <h2>Data</h2>
      <div class="row">
        <label><input type="radio" name="data" value="bundled" checked> binarized MNIST (bundled), first
          <input id="limit" type="number" value="10000" min="100" max="50000" step="100" style="width:6em"> training images</label>
      </div>
      <div id="drop">or drop your own <code>.npy</code>, IDX or CSV file(s) here (one file per data site, named after it, or one CSV)</div>
      <div id="data-status" class="muted"></div>
    </section>
    <section>
      <h2>Training</h2>
      <div class="row">
        <label>steps <input id="steps" type="number" min="1" placeholder="train block" style="width:7em"></label>
        <button id="train">Train</button>
        <button id="stop" disabled>Stop</button>
        <button id="resume" disabled>Resume</button>
        <button id="weights" disabled>Download weights</button>
      </div>
      <div id="status" class="muted">not trained yet</div>
      <div id="train-error" class="err"></div>
      <div id="curves"></div>
    </section>
    <section>
      <h2>Results</h2>
      <div class="row">
        <button id="samples" disabled>Draw samples</button>
        <button id="evaluate" disabled>Evaluate</button>
        <label>IWAE K <input id="iwae-k" type="number" value="100" min="1" style="width:5em"></label>
      </div>
      <div id="results-error" class="err"></div>
      <div id="eval"></div>
      <div class="figure"><canvas id="prior" width="0" height="0"></canvas><div id="prior-caption" class="caption"></div></div>
      <div class="figure"><canvas id="recon" width="0" height="0"></canvas><div id="recon-caption" class="caption"></div></div>
      <div class="figure"><canvas id="manifold" width="0" height="0"></canvas><div id="manifold-caption" class="caption"></div></div>
      <div id="scatter"></div>
    </section>
    <section>
      <h2>Estimator lab</h2>
      <div class="row">
        <label>estimators <input id="lab-specs" value="reparam,score,score+baseline" style="width:18em"></label>
        <label>draws <input id="lab-draws" type="number" value="1000" min="10" style="width:6em"></label>
        <button id="lab-run">Measure</button>
      </div>
      <div class="muted">S gradient estimates per estimator at fixed parameters, as <code>vae estimators</code>: try it on <code>toy-gaussian.vae</code> (variance 4 under reparam, 11415 under score at θ = 10)</div>
      <div id="lab-error" class="err"></div>
      <pre id="lab-table" style="font-size:12px"></pre>
    </section>
  </div>
</main>
<script type="module" src="/app.js"></script>
</body>
</html>
`;
