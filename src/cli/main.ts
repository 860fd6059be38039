/**
 * The `vae` command line: check | train | eval | sample | plot | export-metrics | estimators | compare | playground | sweep.
 * Every run that computes prints the version and the tfjs backend in use (on stderr, so --json
 * output stays clean); `vae check` loads no tensors, so it starts no backend. Command modules
 * are imported when their command runs: checking never loads tfjs (fast enough for an
 * editor's lint-on-save). Errors become one message with a hint and exit code 1, never a stack
 * trace.
 */
import { Command, CommanderError, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { SPECS } from '../estimators/spec';
import { parseThreadsSetting } from '../wasm-threads/config';
import { CliError, formatCliError, type Printer } from './errors';
import { collect } from './flags';

export const VERSION: string = pkg.version;

function defaultPrinter(): Printer {
  return {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    color: process.stderr.isTTY === true && !process.env['NO_COLOR'],
  };
}

type Runner = (io: Printer) => Promise<number> | number;

/** Builds the command tree; each action stores its runner, which main() awaits. */
export function buildProgram(io: Printer, setRunner: (r: Runner) => void): Command {
  const program = new Command('vae')
    .description('vaelang: typed variational autoencoders. Check, train, evaluate and sample .vae programs.')
    .addOption(new Option('--backend <name>', 'tfjs backend: tensorflow (tfjs-node), wasm, cpu or webgpu (default: the first of the first three that loads; or $VAE_BACKEND)'))
    .addOption(new Option('--threads <n>', 'wasm backend: threads for large matmuls, a number, auto or off (default off; or $VAE_WASM_THREADS)'))
    .addOption(new Option('--no-fused', "wasm backend: use tfjs's generic kernels only, not vaelang's fused ones (GEMM, dense layers, log-densities, Adam); or $VAE_FUSED=0"))
    .option('-V, --version', 'print the version and the backend in use')
    .showSuggestionAfterError(true)
    // Commander's own errors (an unknown option, a missing argument) are printed by main() with
    // a code and a hint, like every other error; help and version text go out as they are.
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()), outputError: () => {} })
    .exitOverride();

  const withBackend = (fn: Runner): void =>
    setRunner(async (p) => {
      const threads = program.opts()['threads'] as string | undefined;
      const { backendName, initBackend } = await import('../backend');
      if (program.opts()['fused'] === false) (await import('../kernels/runtime')).setFused(false);
      await initBackend(program.opts()['backend'] as string | undefined, threads !== undefined ? { wasmThreads: parseThreadsFlag(threads) } : {});
      p.err(`vaelang ${VERSION} · backend ${backendName()}`);
      return fn(p);
    });

  program
    .command('check')
    .description('check a .vae file and print the estimator plan')
    .argument('<file>', 'the .vae file')
    .option('--json', 'print {ok, diagnostics, sites} as JSON')
    .option('--set <override>', "override a declaration, e.g. --set 'model.z ~ Laplace(0, 1)' (repeatable)", collect)
    .option('--estimator <site=kind>', 'force an estimator for a guide site, e.g. y=score (repeatable)', collect)
    .option('--objective <objective>', 'elbo, iwae or iwae:K')
    .addHelpText('after', '\nExamples:\n  vae check models/vae.vae\n  vae check models/m2.vae --estimator y=score\n  vae check models/vae.vae --set "model.z ~ Laplace(0, 1)" --json')
    .action((file: string, flags) =>
      setRunner(async (p) => {
        p.err(`vaelang ${VERSION}`);
        return (await import('./check')).runCheck(file, flags, p);
      }),
    );

  program
    .command('train')
    .description('train a .vae program (or resume a run) and write checkpoints, metrics and curves')
    .argument('[file]', 'the .vae file')
    .option('--data <data>', 'a data set name (binarized-mnist, mnist, fashion-mnist, ring, ...), a file, or x=FILE,y=FILE')
    .option('--data-dir <dir>', 'where to look for mnist / fashion-mnist files (also $VAE_DATA)')
    .option('--epochs <n>', 'passes over the training data')
    .option('--steps <n>', 'a fixed number of optimizer steps (overrides --epochs)')
    .option('--batch <n>', 'examples per minibatch')
    .option('--lr <rate>', 'learning rate')
    .option('--objective <objective>', 'elbo, iwae or iwae:K')
    .option('--particles <n>', 'Monte Carlo samples per example (elbo)')
    .option('--estimator <site=kind>', 'gradient estimator for a guide site: reparam, score, enumerate, stl, dreg, vimco (repeatable)', collect)
    .option('--set <override>', "override a declaration, e.g. --set 'model.z ~ Laplace(0, 1)' (repeatable)", collect)
    .option('--seed <n>', 'random seed (initialization, minibatches, sampling)')
    .option('--early-stopping <epochs>', 'stop after this many epochs without a better validation ELBO')
    .option('--limit <n>', 'use only the first N training examples (quick runs)')
    .option('--valid <n>', 'examples held out for validation (default: the last 10,000 training images of mnist / fashion-mnist, 10% of a file); 0 trains on all of them')
    .option('--out <dir>', 'run directory (default runs/<model>-<timestamp>)')
    .option('--resume <dir>', 'continue a run from its last checkpoint')
    .option('--reset-optimizer', 'with --resume: start a fresh optimizer (needed when the checkpoint has no optimizer state; the run then differs from an uninterrupted one)')
    .option('--log-every <n>', 'one step line in metrics.jsonl per N optimizer steps (default: every step up to 2,000 steps, then as many steps as keep about 2,000 lines)')
    .option('--no-figures', 'do not draw curves and diagnostics at the end (vae plot RUN draws them later)')
    .option('--json', 'print one JSON object per epoch, then {done, checkpoint}')
    .addHelpText('after', '\nExamples:\n  vae train models/vae.vae\n  vae train models/vae.vae --epochs 1 --limit 2000 --out runs/quick\n  vae train models/m2.vae --estimator y=score\n  vae train models/vae.vae --set "model.z ~ Laplace(0, 1)" --json\n  vae train --resume runs/vae-20261121-120000 --epochs 20')
    .action((file: string | undefined, flags) => withBackend(async (p) => (await import('./train')).runTrainCommand(file, flags, p)));

  program
    .command('eval')
    .description('evaluate a trained run: ELBO, IWAE log-likelihood, active units, collapse, accuracy')
    .argument('<run>', 'a run directory (or a .vae file with --checkpoint)')
    .option('--checkpoint <dir>', 'the run whose weights to use when <run> is a .vae file')
    .option('--split <split>', 'train, valid or test (default test; valid for a run trained on files, which have no test split)')
    .option('--iwae <K>', 'importance samples for log p(x) (0 to skip)', '5000')
    .option('--limit <n>', 'evaluate only N evenly spaced examples')
    .option('--epsilon <nats>', 'KL threshold of the posterior-collapse measure', '0.01')
    .option('--per-step', 'for a sequence site (z[0], ..., z[T-1]), print every step\'s latent lines instead of one summary')
    .option('--mi-samples <n>', 'examples used to estimate I(x; z)', '1000')
    .option('--data <data>', 'evaluate on other data (a data set name or files)')
    .option('--data-dir <dir>', 'where to look for mnist / fashion-mnist files')
    .option('--seed <n>', 'seed of the Monte Carlo estimates')
    .option('--json', 'print all metrics as one JSON object')
    .addHelpText('after', '\nExamples:\n  vae eval runs/vae-20261121-120000\n  vae eval runs/vae-20261121-120000 --iwae 50 --limit 1000 --json\n  vae eval models/vae.vae --checkpoint runs/vae-20261121-120000')
    .action((run: string, flags) => withBackend(async (p) => (await import('./eval')).runEvalCommand(run, flags, p)));

  program
    .command('sample')
    .description('draw figures of a trained run as PNGs: prior samples, reconstructions, interpolations, the 2-D manifold, latent scatter, analogies')
    .argument('<run>', 'a run directory')
    .option('--out <dir>', 'where to write the PNGs (default <run>/samples)')
    .option('--force', 'replace figures already in --out (without it, vae sample refuses to overwrite files)')
    .option('--n <n>', 'how many: samples (prior, 64), test examples (reconstruct 30, scatter 2000, analogies 8), pairs (interpolate, 4), grid points per side (grid2d, 20)')
    .option('--seed <n>', 'random seed (default: the run\'s seed)')
    .option('--mode <mode>', 'mean (the observed distribution\'s mean, e.g. Bernoulli probabilities) or sample', 'mean')
    .option('--from <source>', 'prior: latents drawn from the prior (the default figure)')
    .option('--reconstruct', 'test examples beside their reconstructions (rows alternate)')
    .option('--interpolate', 'linear and spherical paths between the guide means of pairs of test examples')
    .option('--steps <n>', 'points per interpolation path', '10')
    .option('--length <n>', 'sequences from the prior: steps per sequence (default: all T steps of the time axis)')
    .option('--grid2d', 'the decoded manifold of a 2-D latent over a grid of normal quantiles')
    .option('--label <k>', 'the class held fixed by --grid2d in a class-conditional or M2 model (default 0)')
    .option('--scatter', "the test set's posterior means in 2-D (PCA above 2 dimensions), coloured by label")
    .option('--analogies', 'each test example\'s latent code decoded with every class (M2, class-conditional models)')
    .option('--scale <k>', 'pixel upscaling of the image grids', '2')
    .option('--data <data>', 'draw test examples from other data (a data set name or files)')
    .option('--data-dir <dir>', 'where to look for mnist / fashion-mnist files')
    .addHelpText('after', '\nExamples:\n  vae sample runs/vae-20261121-120000\n  vae sample runs/vae-20261121-120000 --reconstruct --interpolate --scatter\n  vae sample runs/vae-z2 --grid2d --n 15 --mode sample\n  vae sample runs/m2-20261121-120000 --analogies --grid2d --label 3 --out figures/')
    .action((run: string, flags) => withBackend(async (p) => (await import('./sample')).runSampleCommand(run, flags, p)));

  program
    .command('plot')
    .description("redraw a run's figures from its metrics: curves and diagnostics (a vae compare directory: compare and each model's), as SVG and PNG")
    .argument('<run>', 'a run directory (metrics.jsonl) or a vae compare directory (compare.json)')
    .option('--format <formats>', 'svg, png, or svg,png', 'svg,png')
    .option('--size <WxH>', "each panel's plot area in pixels, e.g. 480x300 (default 360x230)")
    .option('--scale <k>', 'PNG pixels per SVG pixel', '2')
    .option('--out <dir>', 'where the figures go (default: the run directory)')
    .option('--force', 'replace figures already in --out (the run directory\'s own are always redrawn)')
    .addHelpText('after', '\nExamples:\n  vae plot runs/vae-20261121-120000\n  vae plot runs/vae-20261121-120000 --format svg --size 480x300 --out figures/\n  vae plot runs/compare-20261121-120000 --format png --scale 3')
    .action((run: string, flags) => setRunner(async (p) => (await import('./plot')).runPlotCommand(run, flags, p)));

  program
    .command('export-metrics')
    .description("write a run's metrics.jsonl as a tidy CSV (one row per line: kind, step, epoch, loss, elbo, kl, beta, grad_norm, lr, ...)")
    .argument('<run>', 'a run directory')
    .option('--csv', 'CSV output (the default and only format)')
    .option('--kind <kinds>', 'step, epoch, or step,epoch (default both)')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--force', 'replace --out if it exists')
    .addHelpText('after', '\nExamples:\n  vae export-metrics runs/vae-20261121-120000 --csv > metrics.csv\n  vae export-metrics runs/vae-20261121-120000 --csv --kind step --out steps.csv\n\nIn pandas: df = pd.read_csv("metrics.csv"); df[df.kind == "step"].plot(x="step", y="loss")')
    .action((run: string, flags) => setRunner(async (p) => (await import('./export-metrics')).runExportMetricsCommand(run, flags, p)));

  program
    .command('estimators')
    .description('measure gradient estimators on a program: mean gradient norm, total variance, SNR and time per draw, per net / param / latent site; sweeps over the IWAE K or the number of samples N')
    .argument('<file>', 'the .vae file')
    .option('--checkpoint <dir>', 'take the parameters from a run (default: a seeded initialization)')
    .option('--data <data>', 'a data set name or files, as for train (default: the train block\'s)')
    .option('--data-dir <dir>', 'where to look for mnist / fashion-mnist files')
    .option('--estimators <list>', `comma-separated: ${SPECS.join(', ')} (K a number, or K with --sweep K)`)
    .option('--draws <S>', 'independent gradient estimates per estimator (default 200; 100 with --sweep N)')
    .option('--batch <B>', 'examples in the fixed minibatch, evenly spaced over the train split (default 20)')
    .option('--seed <n>', 'seed of the draws and of the initialization (default: the checkpoint\'s or the train block\'s)')
    .option('--warmup <n>', 'warm-up draws that estimate the constant baseline of score+baseline (default 50)')
    .option('--sweep <axis=values>', 'K=1,5,10,50,100 (IWAE particles: SNR against K) or N=1,10,100,1000 (variance of an N-sample average against N)')
    .option('--plot <file>', 'where a sweep\'s log-log plot goes: FILE.svg and FILE.png are both written (default estimators-snr / estimators-variance)')
    .option('--json', 'print {rows: [{estimator, group, side, meanNorm, variance, snr, msPerDraw, ...}], estimators: [...]}')
    .addHelpText(
      'after',
      '\nExamples:\n  vae estimators models/toy-gaussian.vae --estimators reparam,score --draws 20000\n  vae estimators models/toy-gaussian.vae --sweep N=1,10,100,1000,10000 --plot variance.png\n  vae estimators models/vae.vae --estimators reparam,score+baseline,stl,iwae:5,iwae:5+dreg --batch 10\n  vae estimators models/vae.vae --checkpoint runs/vae-20261121-120000 --sweep K=1,5,10,50,100 --estimators iwae:K,iwae:K+dreg --plot snr.png\n  vae estimators models/m2.vae --estimators reparam,score --json',
    )
    .action((file: string, flags) => withBackend(async (p) => (await import('./estimators')).runEstimatorsCommand(file, flags, p)));

  program
    .command('compare')
    .description('train several models under one protocol (same data, seed, epochs, batch) and tabulate test ELBO, IWAE log-likelihood ± se, KL, active units and seconds per epoch')
    .argument('<files...>', 'two or more .vae files')
    .option('--epochs <n>', "epochs for every model (default: the value the models' train blocks share)")
    .option('--batch <n>', 'minibatch size for every model, overriding their train blocks (default: the shared value)')
    .option('--seed <n>', 'seed of every run and of the evaluation (default: the shared value)')
    .option('--data <data>', 'data for every model: a data set name or files (default: the train blocks\' shared data set); needed when the models declare different data')
    .option('--data-dir <dir>', 'where to look for mnist / fashion-mnist files')
    .option('--limit <n>', 'train on the first N training examples only (quick runs)')
    .option('--eval-limit <n>', 'evaluate on N evenly spaced test examples (the binarized-MNIST test set is sorted by digit)')
    .option('--iwae <K>', 'importance samples of the log p(x) estimate (0 to skip; default 1000)')
    .option('--set <override>', 'a --set fragment applied to every model (repeatable)', collect)
    .option('--out <dir>', 'where the runs, compare.json and compare.png go (default runs/compare-<timestamp>)')
    .option('--json', 'print {rows: [{model, testElbo, testLogLikelihood, standardError, kl, activeUnits, secondsPerEpoch, epochs, run}]}')
    .addHelpText(
      'after',
      "\nThe flags --epochs, --batch, --seed and --data override every model's train block; without them\nthe models must agree (or the comparison stops and names the flag to pass). Each model keeps its\nown objective, optimizer and learning rate. Models whose data declarations differ (Binary vs Unit\npixels) need --data that fits all of them.\n\nExamples:\n  vae compare models/vae.vae models/iwae.vae --epochs 2 --limit 5000 --iwae 100 --eval-limit 500\n  vae compare models/vae.vae models/vae-laplace-prior.vae models/vae-mog-prior.vae models/vae-vampprior.vae --epochs 5 --iwae 500 --eval-limit 2000 --out runs/priors\n  vae compare models/vae.vae models/vae-continuous-bernoulli.vae --data binarized-mnist --epochs 1\n  vae compare models/ppca.vae test/compare/fixtures/ppca-laplace.vae --epochs 20 --json",
    )
    .action((files: string[], flags) => withBackend(async (p) => (await import('./compare')).runCompareCommand(files, flags, p)));

  program
    .command('playground')
    .description('serve the playground, a local web page: edit a .vae program with live diagnostics and estimator plan, train it in the browser (WebGPU, WebGL or WebAssembly), see curves, samples and evaluation')
    .option('--port <n>', 'the port to listen on (0: any free port)', '8080')
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .addHelpText('after', '\nExamples:\n  vae playground\n  vae playground --port 3000')
    .action((flags) =>
      setRunner(async (p) => {
        p.err(`vaelang ${VERSION}`);
        return (await import('./playground')).runPlaygroundCommand(flags, p);
      }),
    );

  program
    .command('sweep')
    .description('train a grid (or a random search) of models and --set overrides over several seeds, locally or as a Slurm job array; tabulate mean ± standard error over seeds and paired comparisons')
    .argument('[files...]', 'one or more .vae files (the models are a grid axis)')
    .option('--grid <KEY=v1,v2>', "a grid axis: train.NAME=..., const NAME=..., or a --set fragment with {} for the value (repeatable)", collect)
    .option('--random <n>', 'draw N cells from the grid instead of running all of them (axes may then be uniform(a, b), loguniform(a, b) or randint(a, b))')
    .option('--seeds <n>', 'runs per cell, with seeds S, S+1, ... (S: --seed, default the models\' train block seed; default 1 run)')
    .option('--seed <n>', 'the first seed')
    .option('--set <override>', 'a --set fragment applied to every cell (repeatable)', collect)
    .option('--epochs <n>', 'epochs for every run (default: the value the models share)')
    .option('--steps <n>', 'a fixed number of optimizer steps for every run (quick sweeps)')
    .option('--batch <n>', 'minibatch size for every run (default: the value the models share)')
    .option('--data <data>', 'data for every run: a data set name or files')
    .option('--data-dir <dir>', 'where to look for mnist / fashion-mnist files (on a cluster: a path every node sees)')
    .option('--limit <n>', 'train on the first N training examples only')
    .option('--eval-limit <n>', 'evaluate on N evenly spaced held-out examples')
    .option('--iwae <K>', 'importance samples of the log p(x) estimate (0 to skip; default 1000)')
    .option('--out <dir>', 'the sweep directory (default runs/sweep-<timestamp>)')
    .option('--resume <dir>', 'continue a sweep: run only the tasks without a finished run (and track those still queued)')
    .option('--executor <name>', 'local (processes on this machine) or slurm (one sbatch job array)', 'local')
    .option('--jobs <n>', 'local: tasks at once (default: one per free core)')
    .option('--partition <name>', 'slurm: partition')
    .option('--account <name>', 'slurm: account')
    .option('--time <limit>', 'slurm: time limit per task, e.g. 02:00:00')
    .option('--mem <size>', 'slurm: memory per task, e.g. 8G')
    .option('--cpus-per-task <n>', 'slurm: CPUs per task (default 1)')
    .option('--gres <spec>', 'slurm: generic resources per task, e.g. gpu:1')
    .option('--array-limit <n>', 'slurm: at most N tasks running at once (--array=...%N)')
    .option('--sbatch-arg <arg>', 'slurm: another sbatch argument, e.g. --qos=short (repeatable)', collect)
    .option('--slurm-config <file>', 'slurm: a JSON file of these settings (flags win)')
    .option('--poll <seconds>', 'slurm: seconds between squeue polls (default 5)')
    .option('--no-wait', 'slurm: submit and return; vae sweep --resume DIR tracks the jobs later')
    .option('--no-figures', 'do not draw DIR/sweep.svg and .png')
    .option('--json', 'print {id, dir, rows, paired, failed, unfinished}')
    .addHelpText(
      'after',
      "\nEvery run uses vae compare's protocol: the same data, epochs (or --steps) and batch, except the\ntrain settings the grid varies. Each task is DIR/runs/cNN-seedS (a normal run directory with\nresult.json once evaluated); logs are DIR/logs/N.log; DIR/sweep.json is the manifest.\n\nExamples:\n  vae sweep models/vae.vae --grid 'train.beta=1,2,4' --grid 'const Z=20,50' --seeds 5\n  vae sweep models/vae.vae models/iwae.vae --seeds 5 --epochs 10 --executor slurm --partition gpu --gres gpu:1 --time 02:00:00\n  vae sweep models/vae.vae --grid 'train.optimizer=adam(lr: 1e-3),adam(lr: 3e-4)' --grid 'model.z ~ {}=Normal(0, 1),Laplace(0, 1)'\n  vae sweep models/vae.vae --random 8 --grid 'const Z=randint(10, 100)' --seeds 2\n  vae sweep --resume runs/sweep-20261202-080000",
    )
    .action((files: string[], flags) =>
      withBackend(async (p) => {
        const o = program.opts();
        const vaeFlags = [...(o['backend'] ? ['--backend', String(o['backend'])] : []), ...(o['threads'] ? ['--threads', String(o['threads'])] : []), ...(o['fused'] === false ? ['--no-fused'] : [])];
        return (await import('./sweep')).runSweepCommand(files, flags, p, vaeFlags);
      }),
    );

  program
    .command('sweep-task', { hidden: true })
    .description('run one task of a sweep (what the executors start)')
    .argument('<dir>', 'the sweep directory')
    .argument('<index>', 'the task index')
    .action((dir: string, index: string) => withBackend(async (p) => (await import('./sweep')).runSweepTaskCommand(dir, index, p)));

  return program;
}

function parseThreadsFlag(v: string): number | undefined {
  try {
    return parseThreadsSetting(v);
  } catch {
    throw new CliError(`invalid --threads '${v}'`, 'use a number of threads, auto or off');
  }
}

const COMMANDS = ['check', 'train', 'eval', 'sample', 'estimators', 'compare', 'playground', 'sweep'] as const;

/** What each command's arguments look like, for the hint of a missing argument. */
const USAGE: Readonly<Record<string, string>> = {
  check: 'vae check models/vae.vae',
  train: 'vae train models/vae.vae (or vae train --resume runs/DIR)',
  eval: 'vae eval runs/DIR',
  sample: 'vae sample runs/DIR',
  estimators: 'vae estimators models/vae.vae',
  compare: 'vae compare models/vae.vae models/iwae.vae',
  playground: 'vae playground --port 8080',
  sweep: "vae sweep models/vae.vae --grid 'train.beta=1,2' --seeds 3",
};

/** A commander parse error as a UserError with a hint (commander's text, without `error: `). */
export function commanderError(e: CommanderError, argv: readonly string[]): CliError {
  const cmd = argv.find((a) => (COMMANDS as readonly string[]).includes(a));
  const help = cmd ? `vae ${cmd} --help` : 'vae --help';
  const message = e.message.replace(/^error: /, '').replace(/\.$/, '').replace(/\s*\n\s*/g, ' ');
  switch (e.code) {
    case 'commander.missingArgument':
      return new CliError(message, `for example: ${cmd ? USAGE[cmd] : 'vae check models/vae.vae'}; see ${help}`);
    case 'commander.unknownOption':
      return new CliError(message, `${help} lists the options${cmd ? ` of ${cmd}` : ''}`);
    case 'commander.optionMissingArgument':
      return new CliError(message, `give the flag a value, e.g. --epochs 5; see ${help}`);
    case 'commander.unknownCommand':
      return new CliError(message, `the commands are ${COMMANDS.join(', ')}; see vae --help`);
    case 'commander.excessArguments':
      return new CliError(message, `flags start with --; see ${help}`);
    default:
      return new CliError(message, `see ${help}`);
  }
}

/** Runs the CLI and returns the exit code (never throws). */
export async function main(argv: readonly string[], io: Printer = defaultPrinter()): Promise<number> {
  let runner: Runner | undefined;
  try {
    const program = buildProgram(io, (r) => {
      runner = r;
    });
    const rest = argv.filter((a, i) => !a.startsWith('--backend') && argv[i - 1] !== '--backend');
    if (rest.length === 1 && (rest[0] === '--version' || rest[0] === '-V')) {
      const i = argv.findIndex((a) => a.startsWith('--backend'));
      const requested = i >= 0 ? (argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1]) : undefined;
      const { backendName, initBackend } = await import('../backend');
      await initBackend(requested);
      io.out(`vaelang ${VERSION} (backend: ${backendName()})`);
      return 0;
    }
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return runner ? await runner(io) : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      if (e.exitCode === 0) return 0;
      io.err(formatCliError(commanderError(e, argv), new Map(), io.color));
      return 1;
    }
    io.err(formatCliError(e, new Map(), io.color));
    return e instanceof CliError || (e as Error)?.name !== 'Error' ? 1 : 1;
  }
}
