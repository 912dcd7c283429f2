"""Where a training step's time goes: the bare PyTorch step of the benchmark's `ConvAE` at each size and batch size.

On the H100 the comparison at 128 and 256 px (batches of 32) took about the same seconds per step at every size, so
progressive resizing's small steps saved no time. This times the step with nothing around it (no fastai callbacks,
no data loading, no validation): forward, MSE loss, backward and Adam, in bf16 autocast and channels-last as
`run.sh` trains, after warm-up, with the device synchronised. If the bare step at 256 px costs little more than at
128 px, the step is bound by fixed per-step costs (kernel launches, Python), not by pixels, and a larger batch is the
regime where training on smaller images saves time.

Usage, from the repo root (GPU or CPU):  python benchmarks/gpu/step_time.py OUT.json [--sizes 64,128,256] [--bs 32,128]
"""
import argparse, json, platform, sys, time
import torch, torch.nn.functional as F
from progresize.models import ConvAE

def step_seconds(size:int, bs:int, steps:int=30, warmup:int=5, dev='cuda', bf16=True, channels_last=True):
    "Median and mean seconds of one training step of `ConvAE(code=4)` on a random `bs`×3×`size`×`size` batch"
    torch.manual_seed(0)
    m = ConvAE(code=4).to(dev)
    x = torch.rand(bs, 3, size, size, device=dev)
    if channels_last: m, x = m.to(memory_format=torch.channels_last), x.contiguous(memory_format=torch.channels_last)
    opt = torch.optim.Adam(m.parameters(), 1e-3)
    sync = torch.cuda.synchronize if dev == 'cuda' else (lambda: None)
    ts = []
    for i in range(warmup + steps):
        sync(); t = time.perf_counter()
        with torch.autocast(dev, dtype=torch.bfloat16, enabled=bf16):
            loss = F.mse_loss(m(x).float(), x)
        loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
        sync()
        if i >= warmup: ts.append(time.perf_counter() - t)
    ts.sort()
    return dict(size=size, bs=bs, median_ms=1e3*ts[len(ts)//2], mean_ms=1e3*sum(ts)/len(ts), steps=steps)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('out'); p.add_argument('--sizes', default='64,128,256'); p.add_argument('--bs', default='32,128')
    p.add_argument('--steps', type=int, default=30)
    a = p.parse_args()
    dev = 'cuda' if torch.cuda.is_available() else 'cpu'
    rows = []
    for bs in map(int, a.bs.split(',')):
        for size in map(int, a.sizes.split(',')):
            r = step_seconds(size, bs, a.steps, dev=dev, bf16=dev == 'cuda', channels_last=dev == 'cuda'); rows.append(r)
            print(f"batch {bs:4d}, {size:4d} px: {r['median_ms']:7.2f} ms per step (median of {r['steps']}), "
                  f"{r['median_ms']/bs*1e3:8.1f} µs per image", flush=True)
    machine = torch.cuda.get_device_name(0) if dev == 'cuda' else platform.processor() or platform.machine()
    json.dump(dict(command='python benchmarks/gpu/step_time.py ' + ' '.join(sys.argv[1:]), machine=machine, torch=torch.__version__, bf16=dev == 'cuda', channels_last=dev == 'cuda', rows=rows),
              open(a.out, 'w'), indent=1)
