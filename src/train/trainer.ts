/**
 * The trainer: one optimizer step per minibatch, no host readback in the step (statistics
 * and the non-finite flag accumulate on the device and are read at logging points), epoch
 * evaluation, and the NaN/Inf watchdog. When a loss or gradient is not finite, the trainer
 * restores the last snapshot (taken at every logging point), replays the steps up to the bad
 * one (everything is a function of seed, epoch and step, so the replay is exact) and reports
 * the first non-finite site term or gradient with the step that produced it (VAE901).
 */
import * as tf from '@tensorflow/tfjs';
import { scoped } from '../engine/scope';
import type { Program } from '../program';
import { diag, DiagnosticError } from '../dsl/diagnostics';
import { betaAt, type Objective, type TrainConfig } from '../dsl/train-config';
import { batchIndices } from '../data/batches';
import type { Dataset } from '../data/dataset';
import { makeBatch } from '../inference/execute';
import { runObjective, type ObjectiveSettings } from '../inference/objectives/index';
import { Rng } from '../core/rng';
import { batchTensors, chunks, EVAL_EPOCH } from './batches';
import type { BoundData } from './memory-data';
import type { NamedTensor } from './named-tensor';
import { CheckpointError, CORRUPT_HINT } from './checkpoint-error';
import { makeOptimizer, type StepOptimizer } from './optimizer';
import { evalChunks } from '../eval/chunking';

/** One step's statistics, as read back at a logging point. */
export interface StepStats {
  /** The minimized loss, −(surrogate objective). */
  readonly loss: number;
  /** Mean training bound over the batch (β = 1). */
  readonly elbo: number;
  readonly kl: number;
  /** ‖∇ loss‖₂ over all trained variables. */
  readonly gradNorm: number;
  /** The KL weight β the step used. */
  readonly beta: number;
  /** The optimizer's learning rate at the step. */
  readonly lr: number;
}

export interface EpochStats {
  readonly elbo: number;
  readonly kl: number;
  readonly steps: number;
  /** The steps since the last read, in order. */
  readonly perStep: readonly StepStats[];
}

/** Unread per-step statistics are merged into one tensor past this many (no readback). */
const MAX_PENDING = 64;

export interface EvalStats {
  readonly elbo: number;
  readonly recon: number;
  readonly kl: number;
  readonly n: number;
}

interface Snapshot {
  readonly step: number;
  readonly epoch: number;
  readonly params: Map<string, tf.Tensor>;
  readonly optimizer: NamedTensor[];
  readonly baselines: Record<string, number>;
}


export class Trainer {
  readonly optimizer: StepOptimizer;
  /** Optimizer steps taken so far. */
  step = 0;
  private readonly rng: Rng;
  private readonly vars: tf.Variable[];
  /**
   * [loss, elbo, kl, ‖g‖²] of each step since the last read, on the device: tensors of shape
   * [n, 4] (one per step, or merged blocks), and the steps' β in JS.
   */
  private pending: tf.Tensor2D[] = [];
  private pendingBeta: number[] = [];
  /** The first step whose loss or gradient was not finite (-1: none), on the device. */
  private readonly badStep: tf.Variable;
  private snapshot: Snapshot | null = null;

  constructor(
    readonly prog: Program,
    readonly data: BoundData,
    readonly config: TrainConfig,
    readonly seed: number,
  ) {
    this.rng = Rng.fromSeed(seed);
    this.vars = prog.store.variables();
    this.optimizer = makeOptimizer(config.optimizer, this.vars);
    const init = tf.scalar(-1, 'int32'); // []
    this.badStep = tf.variable(init, false);
    init.dispose();
  }

  get train(): Dataset {
    return this.data.splits.train;
  }

  stepsPerEpoch(): number {
    return Math.ceil(this.train.size / this.config.batch);
  }

  /** The minibatch index lists of an epoch (a seeded permutation of the training set). */
  epochBatches(epoch: number): Int32Array[] {
    return batchIndices(this.train.size, { batchSize: this.config.batch, seed: this.rng.foldName('shuffle'), epoch, shuffle: true });
  }

  private settings(epochFloat: number): ObjectiveSettings {
    const c = this.config;
    return { particles: c.particles, beta: betaAt(c.beta, epochFloat, this.step), freeBits: c.freeBits, classify: c.classify };
  }

  /** The learning rate of the optimizer (constant: the train block has no schedules). */
  get lr(): number {
    return this.config.optimizer.lr;
  }

  /**
   * One optimizer step on the rows `indices` of the training set. With `gradNorm`, the step also
   * computes ‖∇ loss‖₂ (one square and one sum per variable, at most ≈ 5% of a models/vae.vae
   * step on wasm); without it the step's gradNorm reads back as NaN.
   */
  trainStep(indices: Int32Array, epoch: number, epochFloat: number, opts: { gradNorm?: boolean } = {}): void {
    const step = this.step;
    const cols = batchTensors(this.prog.checked, this.train, indices, this.data.dynamic, this.seed, epoch);
    let kept: tf.Tensor[] = [];
    let updates = new Map<string, tf.Tensor>();
    let stats: tf.Tensor | null = null;
    const settings = this.settings(epochFloat);
    tf.tidy(() => {
      const batch = makeBatch(this.prog.checked, cols);
      const { value, grads } = tf.variableGrads(() => {
        const out = runObjective(this.config.objective, {
          prog: this.prog.compiled,
          store: this.prog.store,
          plan: this.prog.plan,
          batch,
          rng: this.rng.fold(step),
          settings,
          state: this.prog.state,
        });
        kept = out.keep;
        updates = out.baselineUpdates;
        stats = tf.keep(tf.stack([tf.mean(out.bound), tf.mean(out.kl)])); // [2]
        return tf.neg(out.surrogate) as tf.Scalar;
      }, this.vars);
      // ‖g‖²: one square and one sum per variable, on the device (read with the other statistics); NaN when not asked for.
      const squares = !opts.gradNorm ? [] : Object.values(grads).map((g) => tf.sum(tf.square(g))); // [] each
      const g2 = squares.length > 0 ? tf.addN(squares) : tf.scalar(opts.gradNorm ? 0 : NaN); // []
      const row = tf.keep(tf.concat([tf.reshape(value, [1]), stats!, tf.reshape(g2, [1])]).reshape([1, 4])) as tf.Tensor2D; // [1, 4]
      stats!.dispose();
      stats = row;
      // Non-finite watchdog: the loss, folded into badStep on the device. A non-finite gradient
      // at step s makes Adam's update non-finite, so the loss of step s + 1 shows it; the
      // diagnosis replays and checks the gradients of the step before the first bad loss.
      const bad = tf.logicalNot(tf.isFinite(value)); // []
      const first = tf.logicalAnd(bad, tf.less(this.badStep, 0)); // []
      this.badStep.assign(tf.where(first, tf.scalar(step, 'int32'), this.badStep as tf.Scalar));
      this.optimizer.applyGradients(grads);
    });
    this.prog.state.apply(updates);
    this.pending.push(stats! as tf.Tensor2D);
    this.pendingBeta.push(settings.beta);
    if (this.pending.length > MAX_PENDING) {
      const merged = tf.concat(this.pending); // [n, 4]
      tf.dispose(this.pending);
      this.pending = [merged];
    }
    tf.dispose([...kept, ...updates.values(), ...cols.values()]);
    this.step++;
  }

  /** Reads (one readback) and clears the statistics of the steps since the last read. */
  readStats(): EpochStats {
    const n = this.pendingBeta.length;
    if (n === 0) return { elbo: NaN, kl: NaN, steps: 0, perStep: [] };
    const all = this.pending.length === 1 ? this.pending[0]! : tf.concat(this.pending); // [n, 4]
    const v = all.dataSync() as Float32Array;
    if (all !== this.pending[0]) all.dispose();
    tf.dispose(this.pending);
    const perStep: StepStats[] = Array.from({ length: n }, (_, i) => ({
      loss: v[4 * i]!,
      elbo: v[4 * i + 1]!,
      kl: v[4 * i + 2]!,
      gradNorm: Math.sqrt(v[4 * i + 3]!),
      beta: this.pendingBeta[i]!,
      lr: this.lr,
    }));
    this.pending = [];
    this.pendingBeta = [];
    const mean = (f: (s: StepStats) => number) => perStep.reduce((a, s) => a + f(s), 0) / n;
    return { elbo: mean((s) => s.elbo), kl: mean((s) => s.kl), steps: n, perStep };
  }

  /** The first non-finite step since the start, or -1 (one scalar readback). */
  firstBadStep(): number {
    return this.badStep.dataSync()[0]!;
  }

  /** Keeps copies of parameters, optimizer state and baselines for the watchdog's replay. */
  async takeSnapshot(epoch: number): Promise<void> {
    this.dropSnapshot();
    const opt = await this.optimizer.getWeights();
    this.snapshot = {
      step: this.step,
      epoch,
      params: this.prog.store.snapshot(),
      optimizer: opt.map((w) => ({ name: w.name, tensor: w.tensor.clone() })),
      baselines: this.prog.state.values(),
    };
    opt[0]?.tensor.dispose(); // getWeights() makes a fresh iteration-count scalar; the rest are live variables
  }

  private dropSnapshot(): void {
    if (!this.snapshot) return;
    for (const t of this.snapshot.params.values()) t.dispose();
    for (const w of this.snapshot.optimizer) w.tensor.dispose();
    this.snapshot = null;
  }

  /** Evaluates the bound (ELBO or IWAE) on a split, batched, forward only. */
  evaluate(ds: Dataset, opts: { objective?: Objective; particles?: number; batch?: number; seed?: number } = {}): EvalStats {
    let sum = 0;
    let recon = 0;
    let kl = 0;
    let n = 0;
    const rng = Rng.fromSeed(opts.seed ?? this.seed).foldName('eval');
    let i = 0;
    // Examples per chunk: at most `batch`, fewer when particles × enumerated configurations are many.
    const batch = evalChunks(this.prog.checked, this.prog.plan, ds.size, opts.particles ?? 1, { maxExamples: opts.batch ?? 500 }).examples;
    for (const idx of chunks(ds.size, batch)) {
      const cols = batchTensors(this.prog.checked, ds, idx, this.data.dynamic, this.seed, EVAL_EPOCH);
      const r = tf.tidy(() => {
        const out = runObjective(opts.objective ?? { kind: 'elbo' }, {
          prog: this.prog.compiled,
          store: this.prog.store,
          plan: this.prog.plan,
          batch: makeBatch(this.prog.checked, cols),
          rng: rng.fold(i++),
          settings: { particles: opts.particles ?? 1, beta: 1, freeBits: 0, classify: null },
          state: this.prog.state,
        });
        tf.dispose(out.keep);
        return tf.stack([tf.sum(out.bound), tf.sum(out.recon), tf.sum(out.kl)]); // [3]
      });
      const [a, b, c] = r.dataSync() as Float32Array;
      r.dispose();
      tf.dispose([...cols.values()]);
      sum += a!;
      recon += b!;
      kl += c!;
      n += idx.length;
    }
    return { elbo: sum / n, recon: recon / n, kl: kl / n, n };
  }

  /**
   * After firstBadStep() >= 0: replays from the last snapshot to the bad step and returns the
   * diagnostic naming the first non-finite site term (or gradient) at that step.
   */
  async diagnoseNonFinite(batchesOf: (epoch: number) => Int32Array[]): Promise<DiagnosticError> {
    const bad = this.firstBadStep();
    try {
      return await this.diagnose(bad, batchesOf);
    } catch (e) {
      // The diagnosis is best effort: whatever fails in the replay, the user still gets VAE901.
      if (e instanceof DiagnosticError) return e;
      return this.nonFiniteLoss(bad, `the replay that looks for the site failed (${e instanceof Error ? e.message : String(e)})`);
    }
  }

  private async diagnose(bad: number, batchesOf: (epoch: number) => Int32Array[]): Promise<DiagnosticError> {
    const snap = this.snapshot;
    if (snap && bad - 1 < snap.step) {
      // The bad step is the first after the snapshot: restore it, nothing to replay.
      await this.restore(snap);
    }
    const spe = this.stepsPerEpoch();
    const at = (step: number) => {
      const epoch = Math.floor(step / spe);
      return { epoch, indices: batchesOf(epoch)[step % spe]! };
    };
    // The step before the first non-finite loss may have produced a non-finite gradient.
    if (snap && bad - 1 >= snap.step) {
      // Params are at step bad - 1 already (the replay stopped there, after step bad - 2): re-run it.
      const prev = await this.replayTo(bad - 1, batchesOf, snap);
      if (prev) return prev;
    }
    const { epoch, indices } = at(bad);
    return this.explain(indices, epoch, bad) ?? this.nonFiniteLoss(bad);
  }

  /**
   * Puts parameters, optimizer state and baselines back to the snapshot's (which stays intact
   * for another restore). The optimizer's previous state is disposed: Adam disposes its own
   * moments; tfjs's optimizers replace their accumulators without disposing them.
   */
  private async restore(snap: Snapshot): Promise<void> {
    this.prog.store.restore(snap.params);
    const old = await this.optimizer.getWeights(); // a fresh iteration count, then the live state
    const fresh = snap.optimizer.map((w) => ({ name: w.name, tensor: w.tensor.clone() }));
    await this.optimizer.setWeights(fresh);
    // The restored variables hold their own reference to the data; the handles can go.
    for (const w of [...fresh, ...old]) if (!w.tensor.isDisposed) w.tensor.dispose();
    this.prog.state.load(snap.baselines);
    this.step = snap.step;
  }

  /** Restores the snapshot, replays to `step` (exclusive) and explains `step`, if it is at fault. */
  private async replayTo(step: number, batchesOf: (epoch: number) => Int32Array[], snap: Snapshot): Promise<DiagnosticError | undefined> {
    await this.restore(snap);
    const spe = this.stepsPerEpoch();
    while (this.step < step) {
      const epoch = Math.floor(this.step / spe);
      this.trainStep(batchesOf(epoch)[this.step % spe]!, epoch, this.step / spe);
    }
    const epoch = Math.floor(step / spe);
    const found = this.explain(batchesOf(epoch)[step % spe]!, epoch, step);
    if (found) return found;
    this.trainStep(batchesOf(epoch)[step % spe]!, epoch, step / spe);
    return undefined;
  }

  private nonFiniteLoss(step: number, note?: string): DiagnosticError {
    const cp = this.prog.checked;
    const span = cp.model.decl?.keywordSpan ?? cp.guide.decl?.keywordSpan ?? { file: cp.program.file, start: 0, end: 0 };
    return new DiagnosticError([diag('VAE901', `training stopped: a non-finite loss at step ${step}${note ? `; ${note}` : ''}`, { span }, { hint: 'lower the learning rate (--lr); check the data for extreme values' })], cp.sources);
  }

  /** The diagnostic for `step` if its loss terms or gradients are not finite, else undefined. */
  private explain(indices: Int32Array, epoch: number, step: number): DiagnosticError | undefined {
    const cols = batchTensors(this.prog.checked, this.train, indices, this.data.dynamic, this.seed, epoch);
    const spe = this.stepsPerEpoch();
    const found = scoped((): { site: string; what: string } | null => {
      const batch = makeBatch(this.prog.checked, cols);
      let culprit: { site: string; what: string } | null = null;
      const { grads } = tf.variableGrads(() => {
        const out = runObjective(this.config.objective, { prog: this.prog.compiled, store: this.prog.store, plan: this.prog.plan, batch, rng: this.rng.fold(step), settings: this.settings(step / spe), state: this.prog.state });
        for (const t of out.terms) {
          const checks: [string, tf.Tensor | null][] = [['log-probability', t.lp], ['guide log-density', t.lq], ['KL', t.kl]];
          for (const [what, x] of checks) {
            if (culprit || !x) continue;
            if (tf.any(tf.logicalNot(tf.isFinite(x))).dataSync()[0]) culprit = { site: t.name, what };
          }
        }
        tf.dispose(out.keep);
        return tf.neg(out.surrogate) as tf.Scalar;
      }, this.vars);
      if (culprit) return culprit;
      for (const e of this.prog.store.list()) {
        const g = grads[e.variable.name];
        if (g && tf.any(tf.logicalNot(tf.isFinite(g))).dataSync()[0]) return { site: e.group, what: 'gradient' };
      }
      return null;
    });
    tf.dispose([...cols.values()]);
    if (!found) return undefined;
    const cp = this.prog.checked;
    const inGuide = found?.what === 'guide log-density';
    const site = (inGuide ? cp.guide.sites : cp.model.sites).find((s) => s.name === found.site);
    const net = !site ? cp.nets.find((n) => n.name === found.site) : undefined;
    const span = site?.stmt.span ?? net?.decl.span ?? cp.model.decl?.keywordSpan ?? { file: cp.program.file, start: 0, end: 0 };
    const usesProbs = site?.args.has('probs');
    const hint = usesProbs
      ? 'probabilities of exactly 0 or 1 give log 0: pass `logits:` instead of `probs:`, or lower the learning rate (--lr)'
      : site && site.spec.params.some((p) => p.kind === 'Positive')
        ? 'a scale may have collapsed to 0 or overflowed: lower the learning rate (--lr), or bound the scale, e.g. `softplus(h) + 0.001`'
        : 'lower the learning rate (--lr); check the data for extreme values';
    const what = found.what === 'gradient' ? `a non-finite gradient of \`${found.site}\`` : `a non-finite ${found.what} of \`${found.site}\``;
    return new DiagnosticError([diag('VAE901', `training stopped: ${what} at step ${step}`, { span }, { hint })], cp.sources);
  }

  /**
   * The optimizer's state with stable names (index order matches the variables). Entry 0 (the
   * iteration count) is a fresh tensor the caller disposes; the others are live variables.
   */
  async optimizerWeights(): Promise<NamedTensor[]> {
    const ws = await this.optimizer.getWeights();
    return ws.map((w, i) => ({ name: i === 0 ? 'iter' : `opt${i}`, tensor: w.tensor }));
  }

  /** Slot kinds per variable of the configured optimizer (tfjs's layout: [iter, kind 1..., kind 2...]). */
  private slotKinds(): number {
    const o = this.config.optimizer;
    return o.kind === 'adam' || o.kind === 'rmsprop' ? 2 : o.momentum > 0 ? 1 : 0;
  }

  /**
   * Restores the optimizer state of a checkpoint, checked against the program's variables first:
   * the iteration count equals the checkpoint's step, and slot i of each kind has variable i's
   * shape (a CheckpointError naming optimizer.json otherwise). An empty list leaves a fresh
   * optimizer (--reset-optimizer).
   */
  async loadOptimizerWeights(ws: NamedTensor[], step?: number): Promise<void> {
    if (ws.length === 0) return;
    const bad = (what: string): never => {
      throw new CheckpointError(`optimizer.json: ${what}`, CORRUPT_HINT);
    };
    const [iter, ...rest] = ws;
    if (iter!.name !== 'iter' || iter!.tensor.size !== 1 || iter!.tensor.dtype !== 'int32') bad('the first entry should be the int32 iteration count `iter`');
    if (step !== undefined && iter!.tensor.dataSync()[0] !== step) bad(`the iteration count is ${iter!.tensor.dataSync()[0]} but state.json's step is ${step}: the files come from different checkpoints`);
    const kinds = this.slotKinds();
    const n = kinds === 0 ? 0 : rest.length / kinds;
    if ((kinds === 0 && rest.length > 0) || !Number.isInteger(n) || n > this.vars.length) {
      bad(`${rest.length} state tensors do not fit ${this.config.optimizer.kind} over ${this.vars.length} variables (${kinds} per variable)`);
    }
    for (let k = 0; k < kinds; k++) {
      for (let i = 0; i < n; i++) {
        const t = rest[k * n + i]!.tensor;
        const v = this.vars[i]!;
        if (t.shape.join(',') !== v.shape.join(',')) bad(`\`${rest[k * n + i]!.name}\` has shape [${t.shape.join(', ')}] but its variable \`${v.name}\` has [${v.shape.join(', ')}]`);
      }
    }
    // Slots are matched to the variables by order (the variable list is stable).
    await this.optimizer.setWeights(ws, this.vars.map((v) => v.name));
  }

  dispose(): void {
    this.dropSnapshot();
    tf.dispose(this.pending);
    this.pending = [];
    this.pendingBeta = [];
    this.badStep.dispose();
    this.optimizer.dispose();
  }
}
