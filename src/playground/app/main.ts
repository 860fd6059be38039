/**
 * The playground page: the editor with the checker as linter, the estimator plan, the zoo,
 * the data choice (bundled binarized MNIST or dropped files), training in the worker with live
 * curves, results (samples, reconstructions, manifold, scatter, evaluation), sharing through
 * the URL and the weights download. Nothing here throws into the page: every failure is shown
 * where it belongs (diagnostics under the editor, data and training errors in their panels).
 */
import type { CheckOutcome } from '../../checking';
import { curvesSpec } from '../../figures/specs/curves';
import { scatterSpec } from '../../figures/specs/scatter';
import type { MetricsRecord } from '../../metrics/records';
import { lineCol } from '../../dsl/source';
import { checkProgram } from '../check';
import type { DataChoice, DroppedFile, FromWorker, ToWorker } from '../protocol';
import { drawSpec, throttled } from './charts';
import { createEditor } from './editor';
import { drawImages } from './images';
import { planHtml } from './plan';
import { decodeShare, encodeShare } from './share';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

interface PageState {
  zoo: Record<string, string>;
  name: string;
  outcome: CheckOutcome | undefined;
  records: MetricsRecord[];
  dropped: DroppedFile[];
  training: boolean;
  trained: boolean;
  evaluation: unknown;
  lab: unknown;
}

const state: PageState = { zoo: {}, name: 'vae.vae', outcome: undefined, records: [], dropped: [], training: false, trained: false, evaluation: undefined, lab: undefined };
/** Read by the end-to-end tests. */
(window as unknown as { vaePlayground: PageState }).vaePlayground = state;

const worker = new Worker('/worker.js', { type: 'module' });
const send = (m: ToWorker) => worker.postMessage(m);

function dataChoice(): DataChoice {
  if (state.dropped.length > 0) return { kind: 'files', files: state.dropped };
  return { kind: 'bundled', limit: Math.max(100, Math.min(50000, Number($<HTMLInputElement>('limit').value) || 10000)) };
}

function showDiagnostics(r: CheckOutcome): void {
  const lines = r.diagnostics.map((d) => {
    const src = r.sources.get(d.primary.span.file);
    const lc = src ? lineCol(src, d.primary.span.start) : { line: 1, column: 1 };
    return `<div class="${d.severity}" data-code="${d.code}" data-line="${lc.line}">${esc(`${d.primary.span.file}:${lc.line}:${lc.column}: ${d.severity}[${d.code}]: ${d.message}`)}${d.hint ? `<br>&nbsp;&nbsp;= hint: ${esc(d.hint)}` : ''}</div>`;
  });
  $('diagnostics').innerHTML = lines.join('');
}

function setButtons(): void {
  $<HTMLButtonElement>('train').disabled = state.training;
  $<HTMLButtonElement>('stop').disabled = !state.training;
  $<HTMLButtonElement>('resume').disabled = state.training || !state.trained;
  for (const id of ['samples', 'evaluate', 'weights']) $<HTMLButtonElement>(id).disabled = state.training || !state.trained;
}

const drawCurves = throttled(async () => {
  const spec = curvesSpec({ records: state.records, title: state.name, size: { width: 250, height: 170 } });
  if (spec) await drawSpec($('curves'), spec);
});

let lastRate = '';
let labRunning = false;
function onMessage(m: FromWorker): void {
  switch (m.type) {
    case 'backend': {
      const sel = $<HTMLSelectElement>('backend');
      const current = sel.value;
      sel.innerHTML = ['auto', ...m.available].map((b) => `<option value="${b}">${b}</option>`).join('');
      sel.value = current === 'auto' || m.available.includes(current) ? current : 'auto';
      $('backend-name').textContent = `in use: ${m.detail}`;
      $('backend-name').dataset['backend'] = m.name;
      state.trained = false;
      setButtons();
      return;
    }
    case 'status':
      $('status').textContent = m.text;
      return;
    case 'data':
      $('data-status').textContent = m.text;
      $('data-status').className = 'muted';
      return;
    case 'started':
      $('status').textContent = `training ${state.name}: ${m.parameters.toLocaleString('en-US')} parameters, ${m.source}: train ${m.train}, valid ${m.valid}; ${m.totalSteps} steps (${m.stepsPerEpoch} per epoch)`;
      $('status').dataset['total'] = String(m.totalSteps);
      state.trained = true;
      return;
    case 'steps': {
      state.records.push(...m.records);
      const last = m.records[m.records.length - 1];
      lastRate = `${Math.round(m.examplesPerSec).toLocaleString('en-US')} examples/s`;
      $('status').textContent = `step ${m.step} / ${$('status').dataset['total'] ?? '?'} · ELBO ${last ? last.elbo.toFixed(2) : '…'} · KL ${last ? last.kl.toFixed(2) : '…'} · ${lastRate}`;
      $('status').dataset['step'] = String(m.step);
      $('status').dataset['rate'] = String(m.examplesPerSec);
      drawCurves();
      return;
    }
    case 'epoch':
      state.records.push(m.record);
      drawCurves();
      return;
    case 'stopped':
      state.training = false;
      $('status').textContent = `${m.reason === 'done' ? 'done' : 'stopped'} at step ${m.step}${lastRate ? ` · ${lastRate}` : ''}`;
      $('status').dataset['stopped'] = String(m.step);
      setButtons();
      return;
    case 'samples': {
      const show = (id: string, im: typeof m.prior | null) => {
        const c = $<HTMLCanvasElement>(id);
        if (!im) {
          c.width = c.height = 0;
          $(`${id}-caption`).textContent = '';
          return;
        }
        drawImages(c, im);
        $(`${id}-caption`).textContent = im.caption;
      };
      show('prior', m.prior);
      show('recon', m.recon);
      show('manifold', m.manifold);
      if (m.scatter) {
        const pts = Array.from(m.scatter.x, (x, i) => ({ x, y: m.scatter!.y[i]! }));
        void drawSpec($('scatter'), scatterSpec({ points: pts, title: 'latent scatter', subtitle: [m.scatter.label], xTitle: 'dimension 1', yTitle: 'dimension 2', size: { width: 300, height: 240 } }));
      } else $('scatter').innerHTML = '';
      return;
    }
    case 'eval': {
      const r = m.result;
      state.evaluation = r;
      const f = (v: number) => v.toFixed(2);
      $('eval').innerHTML = `<table id="eval-table"><tbody>
        <tr><td>log p(x) (IWAE, K = ${r.k}, ${r.n} test examples)</td><td><b>${f(r.iwae)}</b> ± ${f(r.iwaeSe)}</td></tr>
        <tr><td>ELBO = reconstruction − KL</td><td>${f(r.elbo)} = ${f(r.recon)} − ${f(r.kl)}</td></tr>
        <tr><td>active units (Cov<sub>x</sub> E<sub>q</sub>[z] &gt; 0.01)</td><td>${r.activeUnits} of ${r.latentDims}</td></tr>
        ${r.klPerDim.length ? `<tr><td>KL per dimension (nats)</td><td style="font-family:monospace;font-size:11px">${r.klPerDim.map((v) => v.toFixed(2)).join(' ')}</td></tr>` : ''}
      </tbody></table>`;
      return;
    }
    case 'lab':
      labRunning = false;
      state.lab = m.rows;
      $('lab-table').textContent = [`${m.data}; parameters: ${m.parameters}; ${m.draws} draws per estimator`, ...m.lines].join('\n');
      return;
    case 'weights': {
      const stem = state.name.replace(/\.vae$/, '');
      download(`${stem}-weights.json`, new Blob([m.json], { type: 'application/json' }));
      download(`${stem}-weights.bin`, new Blob([m.bin], { type: 'application/octet-stream' }));
      return;
    }
    case 'error': {
      const text = `error[${m.code}]: ${m.message}${m.hint ? `\n  = hint: ${m.hint}` : ''}`;
      const target = labRunning ? 'lab-error' : state.training || m.code === 'VAE901' || !state.trained ? 'train-error' : 'results-error';
      if (labRunning) {
        labRunning = false;
        $('lab-table').textContent = '';
      }
      if (/^VAE70[12]/.test(m.code) && !state.training) {
        $('data-status').textContent = text;
        $('data-status').className = 'err';
      } else {
        $(target).textContent = m.rendered ?? text;
      }
      if (m.code === 'VAE901') state.trained = true;
      state.training = false;
      setButtons();
    }
  }
}

function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

async function main(): Promise<void> {
  worker.onmessage = (ev: MessageEvent<FromWorker>) => onMessage(ev.data);
  worker.onerror = (ev) => {
    $('train-error').textContent = `the training worker failed: ${ev.message}`;
    state.training = false;
    setButtons();
  };
  try {
    state.zoo = (await (await fetch('/models.json')).json()) as Record<string, string>;
  } catch {
    state.zoo = {};
  }
  const shared = await decodeShare(location.hash);
  state.name = shared?.name ?? 'vae.vae';
  const doc = shared?.text ?? state.zoo['vae.vae'] ?? '';
  $('file-name').textContent = state.name;
  const examples = $<HTMLSelectElement>('examples');
  examples.innerHTML = `<option value="">${shared ? '(shared program)' : ''}</option>` + Object.keys(state.zoo).map((n) => `<option value="${esc(n)}">${esc(n)}</option>`).join('');
  examples.value = shared ? '' : 'vae.vae';

  const view = createEditor({
    parent: $('editor'),
    doc,
    root: () => state.name,
    check: (text) => checkProgram({ name: state.name, text, zoo: state.zoo }),
    onChecked: (r) => {
      state.outcome = r;
      showDiagnostics(r);
      $('plan').innerHTML = planHtml(r);
    },
  });
  (window as unknown as { vaeEditor: typeof view }).vaeEditor = view;
  const setProgram = (name: string, text: string) => {
    state.name = name;
    $('file-name').textContent = name;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  };

  examples.onchange = () => {
    const n = examples.value;
    if (n && state.zoo[n] !== undefined) setProgram(n, state.zoo[n]!);
  };
  window.addEventListener('hashchange', () => {
    void decodeShare(location.hash).then((s) => {
      if (s) setProgram(s.name, s.text);
    });
  });
  $('share').onclick = async () => {
    const hash = await encodeShare(state.name, view.state.doc.toString());
    history.replaceState(null, '', hash);
    try {
      await navigator.clipboard.writeText(location.href);
      $('share-status').textContent = 'link copied';
    } catch {
      $('share-status').textContent = 'link in the address bar';
    }
  };

  $<HTMLSelectElement>('backend').onchange = () => send({ type: 'backend', backend: $<HTMLSelectElement>('backend').value as never });
  $('train').onclick = () => {
    state.records = [];
    $('train-error').textContent = '';
    $('results-error').textContent = '';
    $('curves').innerHTML = '';
    delete $('status').dataset['stopped'];
    delete $('status').dataset['step'];
    const steps = Number($<HTMLInputElement>('steps').value);
    state.training = true;
    setButtons();
    $('status').textContent = 'starting…';
    send({ type: 'train', request: { program: { name: state.name, text: view.state.doc.toString(), zoo: state.zoo }, data: dataChoice(), ...(steps > 0 ? { steps } : {}) } });
  };
  $('stop').onclick = () => send({ type: 'stop' });
  $('resume').onclick = () => {
    const steps = Number($<HTMLInputElement>('steps').value);
    state.training = true;
    $('train-error').textContent = '';
    delete $('status').dataset['stopped'];
    setButtons();
    send({ type: 'resume', ...(steps > 0 ? { steps } : {}) });
  };
  $('samples').onclick = () => {
    $('results-error').textContent = '';
    send({ type: 'samples', n: 64 });
  };
  $('evaluate').onclick = () => {
    $('results-error').textContent = '';
    $('eval').textContent = 'evaluating…';
    send({ type: 'evaluate', k: Math.max(1, Number($<HTMLInputElement>('iwae-k').value) || 100), limit: 500 });
  };
  $('weights').onclick = () => send({ type: 'weights' });
  $('lab-run').onclick = () => {
    labRunning = true;
    $('lab-error').textContent = '';
    $('lab-table').textContent = 'measuring…';
    send({ type: 'lab', program: { name: state.name, text: view.state.doc.toString(), zoo: state.zoo }, specs: $<HTMLInputElement>('lab-specs').value, draws: Math.max(10, Number($<HTMLInputElement>('lab-draws').value) || 1000), data: dataChoice() });
  };

  // Drag and drop of data files anywhere on the page.
  const drop = $('drop');
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  document.addEventListener('dragleave', () => drop.classList.remove('over'));
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    void useFiles([...(e.dataTransfer?.files ?? [])]);
  });
  const useFiles = async (files: File[]) => {
    if (files.length === 0) return;
    state.dropped = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    $('data-status').className = 'muted';
    $('data-status').textContent = `checking ${files.map((f) => f.name).join(', ')}…`;
    drop.innerHTML = `using ${files.map((f) => esc(f.name)).join(', ')} · <a href="#" id="use-bundled">use the bundled set instead</a>`;
    $('use-bundled').onclick = (ev) => {
      ev.preventDefault();
      state.dropped = [];
      drop.textContent = 'or drop your own .npy, IDX or CSV file(s) here';
      $('data-status').textContent = '';
    };
    send({ type: 'checkData', program: { name: state.name, text: view.state.doc.toString(), zoo: state.zoo }, data: dataChoice() });
  };
  (window as unknown as { vaeUseFiles: typeof useFiles }).vaeUseFiles = useFiles;

  send({ type: 'backend', backend: 'auto' });
  setButtons();
}

void main();
