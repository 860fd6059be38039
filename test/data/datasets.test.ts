import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BINARIZED_MNIST_SIZES, loadBinarizedMnist } from '../../src/data/binarized-mnist';
import { loadDataset } from '../../src/data/datasets';
import { type FetchLike, digest, downloadFile } from '../../src/data/download';
import { DataError } from '../../src/data/errors';
import { encodeIdx } from '../../src/data/idx';
import { MNIST_SOURCES, cacheDir, loadMnistLike } from '../../src/data/mnist';
import { valueRange } from '../../src/data/ndarray';
import { linearGaussianData, linearGaussianParams, ringData } from '../../src/data/synthetic';
import { rejected, useTempDir } from './tmpdir';

const tmp = useTempDir();
const FILES = MNIST_SOURCES.mnist.files;

/** Writes a tiny MNIST-format set (gzip IDX) into `dir`: pixel = (example * 7 + j) % 256, label = example % 10. */
function writeFakeMnist(dir: string, nTrain: number, nTest: number, which: 'all' | 'test' = 'all'): void {
  fs.mkdirSync(dir, { recursive: true });
  const write = (name: string, n: number): void => {
    const x = Uint8Array.from({ length: n * 784 }, (_, i) => (Math.floor(i / 784) * 7 + (i % 784)) % 256);
    const y = Uint8Array.from({ length: n }, (_, i) => i % 10);
    fs.writeFileSync(path.join(dir, name), encodeIdx({ shape: [n, 28, 28], data: x }, { gzip: true }));
    fs.writeFileSync(path.join(dir, name.replace('images-idx3', 'labels-idx1')), encodeIdx({ shape: [n], data: y }, { gzip: true }));
  };
  if (which === 'all') write(FILES.trainImages.name, nTrain);
  write(FILES.testImages.name, nTest);
}

const offlineFetch: FetchLike = async () => {
  throw new TypeError('fetch failed');
};

describe('bundled binarized MNIST', () => {
  it('has 50000/10000/10000 images of 28x28 with values only 0 and 1', () => {
    const s = loadBinarizedMnist();
    for (const split of ['train', 'valid', 'test'] as const) {
      const x = s[split].columns['x']!;
      expect(s[split].size).toBe(BINARIZED_MNIST_SIZES[split]);
      expect(x.shape).toEqual([BINARIZED_MNIST_SIZES[split], 28, 28]);
      // A subset for speed: the first 2000 images of each split hold both values and nothing else.
      const sub = x.data.subarray(0, 2000 * 784);
      expect(valueRange(sub)).toEqual([0, 1]);
      let count = 0;
      for (let i = 0; i < sub.length; i++) count += sub[i] as number;
      const ones = count / sub.length;
      expect(ones).toBeGreaterThan(0.08); // MNIST digits cover about 13% of the pixels
      expect(ones).toBeLessThan(0.2);
    }
  });

  it('loads only the requested splits', () => {
    const s = loadBinarizedMnist({ splits: ['valid'] });
    expect([s.train.size, s.valid.size, s.test.size]).toEqual([0, 10000, 0]);
  });
});

describe('mnist and fashion-mnist from local files', () => {
  it('reads --data-dir, scales to [0, 1] and holds out the last examples as valid', async () => {
    const dir = tmp('local-mnist');
    writeFakeMnist(dir, 30, 10);
    const s = await loadDataset('mnist', { dataDir: dir, validSize: 10 });
    expect([s.train.size, s.valid.size, s.test.size]).toEqual([20, 10, 10]);
    const x = s.valid.columns['x']!;
    expect(x.data).toBeInstanceOf(Float32Array);
    expect(x.data[1]).toBeCloseTo(((20 * 7 + 1) % 256) / 255, 6); // valid[0] is training example 20
    expect(Array.from(s.valid.columns['y']!.data.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(s.test.columns['y']!.data).toBeInstanceOf(Int32Array);
    const raw = await loadDataset('mnist', { dataDir: dir, validSize: 0, scale: 'raw', labelsPerClass: 1 });
    expect(raw.train.size).toBe(30);
    expect(raw.train.columns['x']!.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(raw.train.labeledIndices!)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('needs only the files of the requested splits', async () => {
    const dir = tmp('test-only');
    writeFakeMnist(dir, 0, 12, 'test');
    const s = await loadDataset('mnist', { dataDir: dir, splits: ['test'] });
    expect([s.train.size, s.test.size]).toEqual([0, 12]);
    const e = (await rejected(loadDataset('mnist', { dataDir: dir }))) as DataError;
    expect(e.message).toBe(`--data-dir ${dir} has no MNIST file train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz; expected train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz there (or in ${dir}/mnist)`);
  });

  it('searches $VAE_DATA/<name>, then the cache, then system directories', async () => {
    const root = tmp('vae-data-root');
    writeFakeMnist(path.join(root, 'fashion-mnist'), 12, 10);
    const viaEnv = await loadMnistLike('fashion-mnist', { env: { VAE_DATA: root }, validSize: 2, download: false });
    expect(viaEnv.train.size).toBe(10);
    const cache = tmp('cache-root');
    writeFakeMnist(cacheDir('mnist', { env: { VAE_CACHE: cache } }), 13, 10);
    expect((await loadMnistLike('mnist', { env: { VAE_CACHE: cache }, validSize: 3, download: false })).train.size).toBe(10);
    const sys = tmp('usr-share');
    writeFakeMnist(sys, 14, 10);
    const viaSys = await loadMnistLike('fashion-mnist', { env: { VAE_CACHE: tmp('empty-cache') }, systemDirs: [sys], validSize: 4, download: false });
    expect(viaSys.train.size).toBe(10);
  });

  it('rejects files with the wrong structure', async () => {
    const dir = tmp('bad');
    writeFakeMnist(dir, 0, 5, 'test');
    fs.writeFileSync(path.join(dir, FILES.testLabels.name), encodeIdx({ shape: [5], data: Uint8Array.from([0, 1, 2, 3, 12]) }, { gzip: true }));
    const e = await rejected(loadDataset('mnist', { dataDir: dir, splits: ['test'] }));
    expect(e.message).toBe(`${path.join(dir, FILES.testLabels.name)} has labels up to 12; expected labels 0..9`);
  });

  // Debian's dataset-fashion-mnist package: used when installed (apt-get install dataset-fashion-mnist).
  it.skipIf(!fs.existsSync('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'))('finds the Debian Fashion-MNIST package', async () => {
    const s = await loadMnistLike('fashion-mnist', { env: { VAE_CACHE: tmp('no-cache') }, splits: ['test'], download: false });
    expect(s.test.columns['x']!.shape).toEqual([10000, 28, 28]);
    expect(valueRange(s.test.columns['y']!.data)).toEqual([0, 9]);
  });
});

describe('downloads', () => {
  it('offline, lists exactly the missing files and where to put them', async () => {
    const cache = tmp('offline-cache');
    writeFakeMnist(path.join(cache, 'mnist'), 0, 10, 'test'); // the test files are already cached
    const e = (await rejected(loadDataset('mnist', { env: { VAE_CACHE: cache }, fetch: offlineFetch }))) as DataError;
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe(
      `cannot find or download MNIST: put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz (from https://storage.googleapis.com/cvdf-datasets/mnist/) in ${path.join(cache, 'mnist')}`,
    );
    expect(e.hint).toContain('--data-dir DIR');
    const f = (await rejected(loadDataset('fashion-mnist', { env: { VAE_CACHE: cache }, systemDirs: [], fetch: offlineFetch }))) as DataError;
    expect(f.message).toContain('put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz (from http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/)');
    expect(f.hint).toContain('apt-get install dataset-fashion-mnist');
  });

  it('downloads through a fake fetch, verifies the checksum and writes atomically', async () => {
    const payload = encodeIdx({ shape: [3], data: Uint8Array.from([1, 2, 3]) }, { gzip: true });
    const chunks = [payload.subarray(0, 10), payload.subarray(10)];
    const seen: string[] = [];
    const fakeFetch: FetchLike = async (url) => {
      seen.push(url);
      return {
        ok: true,
        status: 200,
        headers: { get: (h: string) => (h.toLowerCase() === 'content-length' ? String(payload.length) : null) },
        body: (async function* () {
          yield* chunks;
        })(),
        arrayBuffer: async () => payload.slice().buffer,
      };
    };
    const dir = tmp('dl');
    const progress: number[] = [];
    const dest = path.join(dir, 'labels.gz');
    await downloadFile({ name: 'labels.gz', url: 'https://example.test/labels.gz', md5: digest(payload, 'md5') }, dest, {
      fetch: fakeFetch,
      onProgress: (r) => progress.push(r),
    });
    expect(seen).toEqual(['https://example.test/labels.gz']);
    expect(Buffer.from(fs.readFileSync(dest)).equals(Buffer.from(payload))).toBe(true);
    expect(progress).toEqual([10, payload.length]);
    expect(fs.readdirSync(dir)).toEqual(['labels.gz']); // no temp file left behind

    const bad = (await rejected(
      downloadFile({ name: 'x.gz', url: 'https://example.test/x.gz', sha256: '0'.repeat(64) }, path.join(dir, 'x.gz'), { fetch: fakeFetch }),
    )) as DataError;
    expect(bad.message).toBe(`checksum mismatch for x.gz from https://example.test/x.gz: expected sha256 ${'0'.repeat(64)}, found ${digest(payload, 'sha256')}`);
    expect(fs.existsSync(path.join(dir, 'x.gz'))).toBe(false);
  });

  it('checks downloaded MNIST files against the published MD5 and reports HTTP errors', async () => {
    const cache = tmp('md5-cache');
    const fake = encodeIdx({ shape: [1, 28, 28], data: new Uint8Array(784) }, { gzip: true });
    const fakeFetch: FetchLike = async () => ({ ok: true, status: 200, body: null, arrayBuffer: async () => fake.slice().buffer });
    const e = (await rejected(loadMnistLike('mnist', { env: { VAE_CACHE: cache }, splits: ['test'], fetch: fakeFetch }))) as DataError;
    expect(e.message).toMatch(/^checksum mismatch for t10k-images-idx3-ubyte\.gz .*: expected md5 9fb629c4189551a2d022fa330f9573f3, found [0-9a-f]{32}$/);
    expect(fs.existsSync(path.join(cache, 'mnist', FILES.testImages.name))).toBe(false);
    const notFound: FetchLike = async () => ({ ok: false, status: 404, statusText: 'Not Found', arrayBuffer: async () => new ArrayBuffer(0) });
    const h = await rejected(loadMnistLike('mnist', { env: { VAE_CACHE: cache }, splits: ['test'], fetch: notFound }));
    expect(h.message).toBe('cannot download https://storage.googleapis.com/cvdf-datasets/mnist/t10k-images-idx3-ubyte.gz: the server answered HTTP 404 Not Found');
  });
});

describe('synthetic data sets', () => {
  it('ring: reproducible per seed, radius 1 + E|z|/10 on average', async () => {
    const a = await loadDataset('ring', { seed: 3 });
    const b = await loadDataset('ring', { seed: 3 });
    expect(a.train.columns['x']!.shape).toEqual([10000, 2]);
    expect(Array.from(a.test.columns['x']!.data)).toEqual(Array.from(b.test.columns['x']!.data));
    expect(Array.from(a.train.columns['x']!.data.subarray(0, 4))).not.toEqual(Array.from(a.valid.columns['x']!.data.subarray(0, 4)));
    const { x } = ringData(10000, 11);
    let r = 0;
    for (let i = 0; i < 10000; i++) r += Math.hypot(x.data[2 * i] as number, x.data[2 * i + 1] as number);
    // E|x| = 1 + E|z|/10 + O(noise^2) = 1 + sqrt(pi/2)/10 + ~0.005 = 1.13; sd(|x|) ~ 0.12 so SE ~ 0.0012.
    expect(r / 10000).toBeGreaterThan(1.11);
    expect(r / 10000).toBeLessThan(1.145);
  });

  it('linear-gaussian: sample covariance matches W W^T + sigma^2 I', () => {
    const p = linearGaussianParams();
    const n = 20000;
    const { x } = linearGaussianData(n, 5, p);
    const { d, k, W, mu, sigma } = p;
    let worst = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let c = 0;
        for (let r = 0; r < n; r++) c += ((x.data[r * d + i] as number) - (mu[i] as number)) * ((x.data[r * d + j] as number) - (mu[j] as number));
        let want = i === j ? sigma * sigma : 0;
        for (let m = 0; m < k; m++) want += (W[i * k + m] as number) * (W[j * k + m] as number);
        worst = Math.max(worst, Math.abs(c / n - want));
      }
    }
    // Entries are at most ~1.1; their sampling SE is below sqrt(2 * 1.1^2 / n) = 0.011.
    expect(worst).toBeLessThan(0.06);
  });

  it('two-moons carries balanced int32 labels and unknown names suggest the nearest', async () => {
    const s = await loadDataset('two-moons', { sizes: { train: 100 }, labelsPerClass: 5 });
    expect(s.train.columns['y']!.data).toBeInstanceOf(Int32Array);
    expect(Array.from(s.train.labeledIndices!)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const e = await rejected(loadDataset('fashion-mnsit'));
    expect(e.message).toBe("unknown data set 'fashion-mnsit'; did you mean 'fashion-mnist'?");
  });
});
