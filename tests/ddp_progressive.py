"""Progressive resizing on fastai's distributed engine, both data paths, on tiny data.

    torchrun --standalone --nproc_per_node 2 tests/ddp_progressive.py OUT_DIR

Each rank trains `fit_schedule(..., cbs=distrib_cbs())` once per path (the batch path with `RecalibrateBN`); rank 0 alone writes OUT_DIR/results.json with,
per path and rank, the size of every training batch (as trained, and as the loader made it), the training items seen in each epoch, and the largest
difference of its weights and BatchNorm statistics from rank 0's. Runs with gloo on CPUs, with NCCL on GPUs. `tests/test_distributed.py` checks it.
"""
import sys, json, warnings
warnings.filterwarnings('ignore')
from pathlib import Path
import torch
from fastai.callback.core import Callback
from fastai.torch_core import rank_distrib, num_distrib
from progresize.progressive import SizeSchedule, fit_schedule, distrib_cbs, inner_dl


class SeenItems(Callback):
    "Record the index of every item of the training batches (made inside the `DistributedDL`), per epoch"
    order = 60  # after `ProgressiveLoaders` has swapped the loader in
    def __init__(self): self.seen, self.made = [], []
    def before_train(self):
        dl = inner_dl(self.dl)
        if not getattr(dl, '_watched', False):
            make = dl.create_item
            def create_item(s):
                if s is not None: self.made.append(int(s))  # `None`: fastai probing the types
                return make(s)
            dl.create_item, dl._watched = create_item, True
        self.seen.append([]); self.made = []
    def before_batch(self):  # items made for a training batch; not those `RecalibrateBN` draws after training
        if self.training: self.seen[-1] += self.made; self.made = []


class LoaderSizes(Callback):
    "The size of each training batch as the loader made it, before `ProgressiveResize` could resize it again"
    order = 0
    def __init__(self): self.sizes = []
    def before_batch(self):
        if self.training: self.sizes.append(self.xb[0].shape[-1])


def run(resize):
    seen, made = SeenItems(), LoaderSizes()
    learn = fit_schedule(SizeSchedule.stages([(16, 2), (32, 1)], stride=8), 3, resize=resize, bs=4, max_images=16,
                         recal=1 if resize == 'batch' else 0, cbs=[seen, made] + distrib_cbs())
    w = torch.cat([t.detach().flatten().float().cpu() for t in learn.model.state_dict().values()])  # weights and BatchNorm statistics
    ws = [None] * num_distrib()
    torch.distributed.all_gather_object(ws, w)
    mine = dict(rank=rank_distrib(), sizes=learn.clock.sizes, loader_sizes=made.sizes, seen=seen.seen,
                max_weight_diff=float((w - ws[0]).abs().max()), history=learn.clock.history)
    ranks = [None] * num_distrib()
    torch.distributed.all_gather_object(ranks, mine)
    return ranks


if __name__ == '__main__':
    out = Path(sys.argv[1])
    res = {r: run(r) for r in ('batch', 'item')}
    res['world_size'], res['backend'] = num_distrib(), torch.distributed.get_backend()
    if rank_distrib() == 0:
        out.mkdir(parents=True, exist_ok=True)
        (out/'results.json').write_text(json.dumps(res, indent=1))
    torch.distributed.barrier()
    torch.distributed.destroy_process_group()  # without it a rank sometimes aborts at exit ("terminate called without an active exception")
