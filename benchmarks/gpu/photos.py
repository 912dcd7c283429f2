"""Carry the sample's source photos to the GPU machine, and cut the sample there.

The GPU machine cannot download anything (photos that a scikit-image release fetches on first use would be missing
there, and its release may differ from ours), and a 256 px sample (88 MB of PNGs) is too large to carry. So the
photos travel (about 8 MB of PNGs) and the patches are cut there with the same code and the same seed: `build` calls
`progresize.data.sample_images(..., photos=...)` on them, so its folder holds the same files, byte for byte, as
`sample_images(size=..., stride=...)` built here (tests/test_gpu_photos.py checks this).

Here:   python benchmarks/gpu/photos.py save benchmarks/gpu/photos
There:  python benchmarks/gpu/photos.py build benchmarks/gpu/photos OUT_DIR --size 256 --stride 32
"""
import argparse, json, sys
from pathlib import Path
import numpy as np

def save(dest:Path):
    "Write each photo that `sample_photos` yields as `dest/NAME.png`, and their order and origins to `dest/photos.json`"
    import PIL.Image
    from progresize.data import sample_photos
    dest.mkdir(parents=True, exist_ok=True)
    meta = []
    for n, im, o in sample_photos():
        PIL.Image.fromarray(im).save(dest/f'{n}.png')
        meta.append([n, o])
    (dest/'photos.json').write_text(json.dumps(meta, indent=1) + '\n')
    return dest

def load(src:Path):
    "The `(name, RGB uint8 array, origin)` triples that `save` wrote, in `sample_photos`'s order"
    import PIL.Image
    meta = json.loads((src/'photos.json').read_text())
    return [(n, np.asarray(PIL.Image.open(src/f'{n}.png').convert('RGB')), o) for n, o in meta]

def build(src:Path, out:Path, size:int=128, seed:int=0, max_per_photo:int=64, valid_pct:float=0.3, stride:int=None):
    "Cut the sample from the photos in `src` into `out`, as `progresize.data.sample_images` cuts it from the packages"
    from progresize.data import sample_images
    return sample_images(out, size, seed, max_per_photo, valid_pct, stride, photos=load(src))

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('cmd', choices=['save', 'build'])
    p.add_argument('photos', type=Path, help='folder of the photos (written by save, read by build)')
    p.add_argument('out', type=Path, nargs='?', help='build: the sample folder to write')
    p.add_argument('--size', type=int, default=128); p.add_argument('--stride', type=int, default=None)
    p.add_argument('--seed', type=int, default=0); p.add_argument('--max-per-photo', type=int, default=64)
    a = p.parse_args()
    if a.cmd == 'save': print(save(a.photos))
    else:
        if a.out is None: sys.exit('build needs OUT_DIR: python benchmarks/gpu/photos.py build PHOTOS OUT_DIR --size 256 --stride 32')
        print(build(a.photos, a.out, a.size, a.seed, a.max_per_photo, stride=a.stride))
