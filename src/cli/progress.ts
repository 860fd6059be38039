/**
 * The CLI's progress bars (cli-progress, on stderr), drawn from the callbacks of the layers
 * below, which never render to a terminal: an epoch's steps (runTrain's onProgress) and a data
 * file's bytes (downloadFile's onProgress).
 */
import { SingleBar } from 'cli-progress';
import type { EpochProgress } from '../train/run';

/** A bar per epoch: ` epoch 3/10 |████░░░░| 250/500 steps | ELBO -104.21 | 4,100 ex/s | ETA 6s`. */
export function epochBar(): (p: EpochProgress) => void {
  let bar: SingleBar | undefined;
  return (p) => {
    const payload = { epoch: p.epoch, elbo: p.elbo, rate: p.rate };
    if (p.phase === 'start') {
      bar?.stop();
      bar = new SingleBar({ format: ' epoch {epoch} |{bar}| {value}/{total} steps | ELBO {elbo} | {rate} ex/s | ETA {eta_formatted}', barsize: 24, hideCursor: true, stream: process.stderr }, undefined);
      bar.start(p.total, p.value, payload);
    } else if (p.phase === 'update') bar?.update(p.value, payload);
    else {
      bar?.stop();
      bar = undefined;
    }
  };
}

/** A bar per downloaded file: `  train-images-idx3-ubyte.gz [████░░] 40% | 3964928/9912422 bytes`. */
export function downloadBar(): (received: number, total: number | undefined, name: string) => void {
  let bar: SingleBar | undefined;
  let current: string | undefined;
  return (received, total, name) => {
    if (name !== current) {
      bar?.stop();
      current = name;
      bar = new SingleBar({ format: `  ${name} [{bar}] {percentage}% | {value}/{total} bytes`, stream: process.stderr, hideCursor: true, clearOnComplete: false });
      bar.start(total ?? received, 0);
    }
    if (total === undefined) bar?.setTotal(received);
    bar?.update(received);
    if (total !== undefined && received >= total) {
      bar?.stop();
      bar = undefined;
    }
  };
}
