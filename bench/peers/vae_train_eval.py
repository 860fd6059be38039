#!/usr/bin/env python3
"""Train a benchmark VAE in plain PyTorch for a few epochs, then its test ELBO and log p(x).

The peer side of the reference results in BENCHMARKS.md ("Convolutional VAE: test log p(x) and
time per epoch"): the nets of vae_step.py (models/vae.vae's or models/conv-vae.vae's
architecture), trained as `vae train` trains them, evaluated as `vae eval --iwae K --limit N`
evaluates them.

    python3 bench/peers/vae_train_eval.py --model conv --epochs 3 --iwae 1000 --images 500
    python3 bench/peers/vae_train_eval.py --model mlp --epochs 3

Training: the 50,000 binarized-MNIST training images of data/, reshuffled every epoch, batches of
100, Adam (lr 1e-3), the ELBO with one reparameterized sample and the KL in closed form (the plan
vaelang picks for both models), one thread. The time of each epoch is recorded as process CPU
time (time.process_time: every thread of the process) and wall time; on a machine shared with
other jobs the CPU time is the one to compare.

Evaluation, on N evenly spaced test images (index floor(i * 10000 / N), as `vae eval --limit N`
picks them): the ELBO (one sample, analytic KL) and log p(x) by importance sampling with K
samples of the guide, log (1/K) sum_k p(x, z_k) / q(z_k | x) (Burda et al. 2015), in chunks of
particles, combined in float64; mean and standard error across the images.

Prints one JSON line: {"peer": "torch", "model", "epochs", "epochCpuSeconds": [...],
"epochWallSeconds": [...], "trainElbo": [...], "testElbo", "testElboSe", "iwae": {"k", "images",
"logLikelihood", "standardError", "cpuSeconds"}, ...}.
"""
import argparse
import gzip
import json
import math
import os
import statistics
import struct
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vae_step import make_nets  # noqa: E402  (the same nets as the step benchmark)

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'data', 'binarized-mnist')
LOG_2PI_HALF = 0.9189385332046727


def load_split(name):
    """A split of the bundled binarized MNIST as a float32 [n, 784] tensor of 0s and 1s."""
    path = os.path.join(DATA, f'{name}-images-idx3-ubyte.gz')
    with gzip.open(path, 'rb') as f:
        magic, count, rows, cols = struct.unpack('>IIII', f.read(16))
        if magic != 2051:
            raise SystemExit(f'{path}: not an IDX image file (magic {magic})')
        buf = f.read(count * rows * cols)
    return torch.frombuffer(bytearray(buf), dtype=torch.uint8).reshape(count, rows * cols).float().clamp_(max=1.0)


def elbo_terms(enc, dec, x):
    """Per-example ELBO with one reparameterized sample and the analytic KL: (elbo [n], kl [n])."""
    loc, scale = enc(x)  # [n, Z] each
    z = loc + scale * torch.randn_like(loc)  # [n, Z]
    log_lik = -F.binary_cross_entropy_with_logits(dec(z), x, reduction='none').sum(-1)  # [n]
    kl = (0.5 * (loc ** 2 + scale ** 2) - torch.log(scale) - 0.5).sum(-1)  # [n]
    return log_lik - kl, kl


@torch.no_grad()
def iwae(enc, dec, x, k, chunk):
    """log p(x) estimates, IWAE-k, for each row of x [n, 784]: a float64 tensor [n]."""
    out = torch.empty(x.shape[0], dtype=torch.float64)
    for i in range(x.shape[0]):
        xi = x[i:i + 1]  # [1, 784]
        loc, scale = enc(xi)  # [1, Z]
        logws = []
        for start in range(0, k, chunk):
            m = min(chunk, k - start)
            eps = torch.randn(m, loc.shape[1])  # [m, Z]
            z = loc + scale * eps  # [m, Z]
            log_q = (-0.5 * eps ** 2 - torch.log(scale) - LOG_2PI_HALF).sum(-1)  # [m]
            log_p = (-0.5 * z ** 2 - LOG_2PI_HALF).sum(-1)  # [m]
            log_lik = -F.binary_cross_entropy_with_logits(dec(z), xi.expand(m, -1), reduction='none').sum(-1)  # [m]
            logws.append((log_lik + log_p - log_q).double())
        lw = torch.cat(logws)  # [k]
        out[i] = torch.logsumexp(lw, 0) - math.log(k)
    return out


def mean_se(t):
    v = t.double()
    return v.mean().item(), (v.std(unbiased=True) / math.sqrt(v.numel())).item()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--model', choices=['mlp', 'conv'], default='conv')
    ap.add_argument('--epochs', type=int, default=3)
    ap.add_argument('--batch', type=int, default=100)
    ap.add_argument('--iwae', type=int, default=1000, help='K, particles per image (0: no IWAE)')
    ap.add_argument('--images', type=int, default=500, help='evenly spaced test images')
    ap.add_argument('--chunk', type=int, default=500, help='particles per decoder call')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train = load_split('train')  # [50000, 784]
    test = load_split('test')  # [10000, 784]
    idx = torch.tensor([i * test.shape[0] // args.images for i in range(args.images)])
    xs = test[idx]  # [N, 784]

    enc, dec, _ = make_nets(args.model)
    opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-3)
    cpu, wall, train_elbo = [], [], []
    for epoch in range(args.epochs):
        perm = torch.randperm(train.shape[0])
        c0, t0 = time.process_time(), time.perf_counter()
        total, n = 0.0, 0
        for s in range(0, train.shape[0] - args.batch + 1, args.batch):
            x = train[perm[s:s + args.batch]]  # [B, 784]
            elbo, _ = elbo_terms(enc, dec, x)
            loss = -elbo.mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += -loss.item()
            n += 1
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - t0)
        train_elbo.append(total / n)
        print(f'epoch {epoch + 1}/{args.epochs}  train ELBO {total / n:.2f}  {cpu[-1]:.1f} s CPU  {wall[-1]:.1f} s wall', file=sys.stderr, flush=True)

    with torch.no_grad():
        elbo, kl = elbo_terms(enc, dec, xs)
    test_elbo, test_elbo_se = mean_se(elbo)
    result = {
        'peer': 'torch', 'model': args.model, 'torch': torch.__version__, 'threads': args.threads, 'seed': args.seed,
        'epochs': args.epochs, 'batch': args.batch, 'trainImages': train.shape[0],
        'epochCpuSeconds': [round(c, 2) for c in cpu], 'epochWallSeconds': [round(w, 2) for w in wall],
        'cpuSecondsPerEpochMedian': round(statistics.median(cpu), 2) if cpu else None,
        'trainElbo': [round(e, 3) for e in train_elbo],
        'testImages': args.images, 'testElbo': round(test_elbo, 3), 'testElboSe': round(test_elbo_se, 3), 'testKl': round(kl.mean().item(), 3),
    }
    if args.iwae > 0:
        c0, t0 = time.process_time(), time.perf_counter()
        ll = iwae(enc, dec, xs, args.iwae, args.chunk)
        m, se = mean_se(ll)
        result['iwae'] = {'k': args.iwae, 'images': args.images, 'logLikelihood': round(m, 3), 'standardError': round(se, 3),
                          'cpuSeconds': round(time.process_time() - c0, 2), 'wallSeconds': round(time.perf_counter() - t0, 2)}
    print(json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
