#!/usr/bin/env python3
"""Training-step time of vaelang's benchmark VAEs in Pyro and in plain PyTorch.

The peer side of `npm run bench train-vae` (BENCHMARKS.md): the same model, data, batch and
optimizer, timed the same way (warm-up, then repetitions of 30 steps, median ms per step).

    python3 bench/peers/vae_step.py                       # plain PyTorch and Pyro, MLP VAE
    python3 bench/peers/vae_step.py --peer torch          # plain PyTorch only (no Pyro needed)
    python3 bench/peers/vae_step.py --model conv          # models/conv-vae.vae's architecture
    python3 bench/peers/vae_step.py --threads 2           # torch.set_num_threads(2)
    python3 bench/peers/vae_step.py --device cuda         # on a GPU (synchronized before each clock read)

Models (as vaelang compiles models/vae.vae and models/conv-vae.vae):
  mlp:  encoder 784 -400 softplus-> (loc 50 linear, scale 50 softplus); decoder 50 -400 softplus-> 784 logits
  conv: encoder conv(32,4,2,1) relu, conv(64,4,2,1) relu, dense 256 relu -> (loc 16, scale 16 softplus);
        decoder dense 256 relu, dense 3136 relu, deconv(32,4,2,1) relu, deconv(1,4,2,1) -> 28x28 logits
Objective: the ELBO with one reparameterized sample, Bernoulli(logits) likelihood summed over
pixels, N(0, I) prior. Pyro's Trace_ELBO (the KL sampled) by default, the issue's reference;
--analytic-kl gives the KL in closed form, as vaelang plans models/vae.vae (TraceMeanField_ELBO
in Pyro). Plain PyTorch computes the same terms by hand. Adam, lr 1e-3; the loss is averaged
over the batch in both (Pyro's plate sum scaled by 1/batch).

Prints one JSON line per peer: {"peer", "model", "batch", "threads", "median", "min", "max", "unit",
"examplesPerSec", "reps", "cpuMedian"} (cpuMedian: process CPU time per step).
"""
import argparse
import gzip
import json
import os
import statistics
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', '..', 'data', 'binarized-mnist', 'train-images-idx3-ubyte.gz')


def load_images(n):
    """The first n binarized-MNIST training images as a float32 [n, 784] tensor (the repo's copy)."""
    with gzip.open(DATA, 'rb') as f:
        magic, count, rows, cols = struct.unpack('>IIII', f.read(16))
        if magic != 2051:
            raise SystemExit(f'{DATA}: not an IDX image file (magic {magic})')
        n = min(n, count)
        buf = f.read(n * rows * cols)
    x = torch.frombuffer(bytearray(buf), dtype=torch.uint8).reshape(n, rows * cols)
    return x.float().clamp_(max=1.0)


class MlpEncoder(nn.Module):
    def __init__(self, z=50, h=400):
        super().__init__()
        self.hidden = nn.Linear(784, h)
        self.loc = nn.Linear(h, z)
        self.scale = nn.Linear(h, z)

    def forward(self, x):
        h = F.softplus(self.hidden(x))
        return self.loc(h), F.softplus(self.scale(h))


class MlpDecoder(nn.Module):
    def __init__(self, z=50, h=400):
        super().__init__()
        self.hidden = nn.Linear(z, h)
        self.out = nn.Linear(h, 784)

    def forward(self, z):
        return self.out(F.softplus(self.hidden(z)))


class ConvEncoder(nn.Module):
    def __init__(self, z=16):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 4, 2, 1)
        self.c2 = nn.Conv2d(32, 64, 4, 2, 1)
        self.d = nn.Linear(64 * 7 * 7, 256)
        self.loc = nn.Linear(256, z)
        self.scale = nn.Linear(256, z)

    def forward(self, x):
        h = F.relu(self.c2(F.relu(self.c1(x.view(-1, 1, 28, 28)))))
        h = F.relu(self.d(h.flatten(1)))
        return self.loc(h), F.softplus(self.scale(h))


class ConvDecoder(nn.Module):
    def __init__(self, z=16):
        super().__init__()
        self.d1 = nn.Linear(z, 256)
        self.d2 = nn.Linear(256, 64 * 7 * 7)
        self.t1 = nn.ConvTranspose2d(64, 32, 4, 2, 1)
        self.t2 = nn.ConvTranspose2d(32, 1, 4, 2, 1)

    def forward(self, z):
        h = F.relu(self.d2(F.relu(self.d1(z)))).view(-1, 64, 7, 7)
        return self.t2(F.relu(self.t1(h))).view(-1, 784)


def make_nets(model):
    if model == 'mlp':
        return MlpEncoder(), MlpDecoder(), 50
    return ConvEncoder(), ConvDecoder(), 16


def torch_step_fn(model, analytic_kl, batch, device):
    """Plain PyTorch: the ELBO's terms written by hand, one reparameterized sample."""
    enc, dec, _ = make_nets(model)
    enc.to(device)
    dec.to(device)
    opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-3)

    def step(x):
        loc, scale = enc(x)
        z = loc + scale * torch.randn_like(loc)
        logits = dec(z)
        log_lik = -F.binary_cross_entropy_with_logits(logits, x, reduction='none').sum(-1)
        if analytic_kl:
            kl = (0.5 * (loc ** 2 + scale ** 2) - torch.log(scale) - 0.5).sum(-1)
        else:
            eps = (z - loc) / scale
            log_q = (-0.5 * eps ** 2 - torch.log(scale) - 0.9189385332046727).sum(-1)
            log_p = (-0.5 * z ** 2 - 0.9189385332046727).sum(-1)
            kl = log_q - log_p
        loss = (kl - log_lik).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    return step


def pyro_step_fn(model, analytic_kl, batch, device):
    """Pyro: model/guide with a plate, Trace_ELBO (or TraceMeanField_ELBO), pyro.optim.Adam."""
    import pyro
    import pyro.distributions as dist
    from pyro.infer import SVI, Trace_ELBO, TraceMeanField_ELBO
    from pyro.optim import Adam

    pyro.clear_param_store()
    enc, dec, zdim = make_nets(model)
    enc.to(device)
    dec.to(device)

    def p(x):
        pyro.module('decoder', dec)
        with pyro.plate('data', x.shape[0]):
            z = pyro.sample('z', dist.Normal(x.new_zeros((x.shape[0], zdim)), x.new_ones((x.shape[0], zdim))).to_event(1))
            pyro.sample('x', dist.Bernoulli(logits=dec(z), validate_args=False).to_event(1), obs=x)

    def q(x):
        pyro.module('encoder', enc)
        with pyro.plate('data', x.shape[0]):
            loc, scale = enc(x)
            pyro.sample('z', dist.Normal(loc, scale).to_event(1))

    # Pyro sums over the plate; scale by 1/batch so that the loss is per example, as vaelang's.
    elbo = TraceMeanField_ELBO() if analytic_kl else Trace_ELBO()
    svi = SVI(pyro.poutine.scale(p, scale=1.0 / batch), pyro.poutine.scale(q, scale=1.0 / batch), Adam({'lr': 1e-3}), loss=elbo)
    pyro.enable_validation(False)

    def step(x):
        return svi.step(x)

    return step


def time_peer(step, images, batch, reps, steps, device):
    batches = [images[i:i + batch].to(device) for i in range(0, images.shape[0] - batch + 1, batch)]
    sync = torch.cuda.synchronize if device.type == 'cuda' else (lambda: None)
    for i in range(steps):  # warm-up: allocations, autograd graph caches, Adam state
        step(batches[i % len(batches)])
    times, cpu = [], []
    for r in range(reps):
        sync()
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(steps):
            step(batches[(r * steps + i) % len(batches)])
        sync()
        times.append(1000 * (time.perf_counter() - t0) / steps)
        cpu.append(1000 * (time.process_time() - c0) / steps)
    return times, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--peer', choices=['torch', 'pyro', 'both'], default='both')
    ap.add_argument('--model', choices=['mlp', 'conv'], default='mlp')
    ap.add_argument('--batch', type=int, default=100)
    ap.add_argument('--threads', type=int, default=1, help='torch.set_num_threads (default 1, as the reference figures)')
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--steps', type=int, default=30)
    ap.add_argument('--analytic-kl', action='store_true', help='KL in closed form (TraceMeanField_ELBO for Pyro)')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--device', default='cpu', help='cpu (default) or cuda')
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    images = load_images(10 * args.batch)
    peers = ['torch', 'pyro'] if args.peer == 'both' else [args.peer]
    for peer in peers:
        if peer == 'pyro':
            try:
                import pyro  # noqa: F401
            except ImportError:
                print('pyro is not installed (pip install pyro-ppl); skipping the Pyro step', file=sys.stderr)
                continue
        make = torch_step_fn if peer == 'torch' else pyro_step_fn
        step = make(args.model, args.analytic_kl, args.batch, device)
        times, cpu = time_peer(step, images, args.batch, args.reps, args.steps, device)
        med = statistics.median(times)
        print(json.dumps({
            'peer': peer, 'model': args.model, 'batch': args.batch, 'threads': args.threads, 'device': args.device,
            'torch': torch.__version__, 'analyticKl': args.analytic_kl,
            'median': round(med, 3), 'min': round(min(times), 3), 'max': round(max(times), 3), 'unit': 'ms/step',
            'examplesPerSec': round(1000 * args.batch / med), 'reps': [round(t, 3) for t in times],
            # Process CPU time per step, as vaelang's bench reports it: robust to a machine shared
            # with other jobs (with --threads > 1 it counts every thread).
            'cpuMedian': round(statistics.median(cpu), 3),
        }), flush=True)


if __name__ == '__main__':
    main()
