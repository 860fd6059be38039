/**
 * The playground's training worker: owns tfjs, the compiled program, the data and the
 * training session. The page sends ToWorker messages and draws what comes back (protocol.ts).
 * Every failure a user can cause comes back as an `error` message with the VAE code, the
 * message and the hint (a program that does not check: the rendered diagnostics; a bad file:
 * the file and the row; a non-finite loss: the site and the step); the worker keeps running.
 */
import * as tf from '@tensorflow/tfjs';
import { Program } from '../../program';
import { isUserError } from '../../core/errors';
import { DiagnosticError } from '../../dsl/diagnostics';
import { renderDiagnostics } from '../../dsl/render-diagnostic';
import { resourceError } from '../../core/errors';
import { checkProgram } from '../check';
import type { FromWorker, ToWorker, TrainRequest } from '../protocol';
import { availableBackends, useBackend } from './backend';
import { loadData } from './data';
import { evaluateAll, samples } from './results';
import { estimatorLab } from './lab';
import { Session } from './session';

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

let session: Session | undefined;
let available: Awaited<ReturnType<typeof availableBackends>> | undefined;
let ready: Promise<void> = Promise.resolve();

function report(e: unknown, extra: { step?: number } = {}): void {
  if (e instanceof DiagnosticError) {
    const d = e.diagnostics[0]!;
    const rendered = renderDiagnostics(e.diagnostics, e.sources ?? new Map());
    const m = /at step (\d+)/.exec(d.message);
    const site = /`([^`]+)`/.exec(d.message);
    post({ type: 'error', code: d.code, message: d.message, ...(d.hint ? { hint: d.hint } : {}), rendered, ...(m ? { step: Number(m[1]) } : extra), ...(site ? { site: site[1]! } : {}) });
    return;
  }
  if (isUserError(e)) {
    post({ type: 'error', code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) });
    return;
  }
  const oom = resourceError(e);
  if (oom) {
    post({ type: 'error', code: oom.code, message: oom.message, hint: 'use a smaller batch in the train block, or fewer training images' });
    return;
  }
  post({ type: 'error', code: 'internal', message: `internal error: ${e instanceof Error ? e.message : String(e)}`, hint: 'this is a bug in vaelang; please report it with the program' });
}

async function setBackend(choice: Parameters<typeof useBackend>[0]): Promise<void> {
  available ??= await availableBackends();
  const r = await useBackend(choice, available);
  post({ type: 'backend', name: r.name, available, detail: r.detail });
}

async function train(req: TrainRequest): Promise<void> {
  session?.dispose();
  session = undefined;
  const r = checkProgram(req.program);
  if (!r.checked || !r.plan) throw new DiagnosticError(r.diagnostics.filter((d) => d.severity === 'error'), r.sources);
  const seed = req.seed ?? r.checked.train.config.seed;
  const data = await loadData(r.checked, req.data, (text) => post({ type: 'status', text }));
  const prog = new Program(r.checked, r.plan, seed);
  const s = new Session(prog, data, seed, req.steps, req.every ?? 10);
  session = s;
  post({ type: 'started', parameters: prog.store.size(), train: data.splits.train.size, valid: data.splits.valid.size, totalSteps: s.totalSteps, stepsPerEpoch: s.stepsPerEpoch, source: data.source });
  await runSession(s);
}

async function runSession(s: Session): Promise<void> {
  try {
    const how = await s.run({
      steps: (records, step, examplesPerSec) => post({ type: 'steps', records, step, examplesPerSec }),
      epoch: (record) => post({ type: 'epoch', record }),
    });
    post({ type: 'stopped', step: s.step, reason: how });
  } catch (e) {
    post({ type: 'stopped', step: s.step, reason: 'stopped' });
    throw e;
  }
}

function ctx() {
  if (!session) throw Object.assign(new Error('train a model first'), { code: 'VAE704', hint: 'press Train' });
  return { prog: session.prog, test: session.data.splits.test.size > 0 ? session.data.splits.test : session.data.splits.valid, dynamic: session.data.dynamic, seed: session.seed };
}

async function handle(m: ToWorker): Promise<void> {
  switch (m.type) {
    case 'backend':
      if (session?.running) session.stop();
      await setBackend(m.backend);
      // Tensors live in a backend: a run made on another one starts over.
      session?.dispose();
      session = undefined;
      return;
    case 'train':
      return train(m.request);
    case 'stop':
      session?.stop();
      return;
    case 'resume':
      if (!session || session.running) return;
      // `steps`: exactly that many more; without it, on to the run's total (or one more epoch once it is reached).
      if (m.steps !== undefined) session.totalSteps = session.step + m.steps;
      else if (session.step >= session.totalSteps) session.totalSteps = session.step + session.stepsPerEpoch;
      return runSession(session);
    case 'samples': {
      const out = samples(ctx(), m.n);
      post(out);
      return;
    }
    case 'evaluate':
      post({ type: 'eval', result: evaluateAll(ctx(), m.k ?? 100, m.limit ?? 500) });
      return;
    case 'lab': {
      const r = await estimatorLab(m.program, m.specs, m.draws, session?.prog, (cp) => (session && session.prog.checked === cp ? Promise.resolve(session.data) : loadData(cp, m.data, () => {})));
      post({ type: 'lab', lines: r.lines, rows: r.rows.map((x) => ({ estimator: x.estimator, group: x.group, variance: x.variance, meanNorm: x.meanNorm, snr: x.snr })), parameters: r.parameters, data: r.data, draws: m.draws });
      return;
    }
    case 'checkData': {
      const r = checkProgram(m.program);
      if (!r.checked) throw new DiagnosticError(r.diagnostics.filter((d) => d.severity === 'error'), r.sources);
      const d = await loadData(r.checked, m.data, () => {});
      const cols = r.checked.data.map((x) => x.name).join(', ');
      post({ type: 'data', text: `${d.source}: ${cols} valid for the program; ${d.splits.train.size.toLocaleString('en-US')} training and ${d.splits.valid.size.toLocaleString('en-US')} validation examples` });
      return;
    }
    case 'weights': {
      const s = ctx();
      const { data, specs } = await tf.io.encodeWeights(s.prog.store.list().map((e) => ({ name: e.name, tensor: e.variable })));
      post({ type: 'weights', json: JSON.stringify(specs), bin: data }, [data]);
      return;
    }
  }
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  // Stop must reach a running session at once; everything else waits its turn.
  if (m.type === 'stop') {
    session?.stop();
    return;
  }
  ready = ready.then(() => handle(m)).catch((e) => report(e));
};
