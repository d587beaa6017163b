"""MinHash signature throughput on the same shingles: syndetect vs datasketch vs rensa.

    python benchmarks/bench_signatures.py [--docs 2000] [--seed 0] [--repeat 3] [--profile]

One process pinned to one core (``sched_setaffinity``; rensa's Rayon pool and
pipeline thread are switched off with ``RAYON_NUM_THREADS=1`` and
``RENSA_PIPELINE_QUEUE_CAP=0`` before it is imported). Articles come from
``synth.py`` (~790 words), tokens from syndetect's ``tokenize(normalize(text))``,
shingles are word 5-grams, 128 permutations, seed 1.

Every contender gets the *same* distinct 32-bit shingle hashes (syndetect's
``Shingles``), already converted to what its API takes; conversion is not timed:

* syndetect ``MinHasher.signatures(Shingles)``: the CSR uint32 arrays;
* datasketch 2.0 ``MinHash(scheme="affine32", hashfunc=int)``: per-document lists
  of Python ints, fed one ``update(h)`` at a time, or whole lists to ``MinHash.bulk``;
* rensa 0.5 ``RMinHash``: ``digest_matrix_from_flat_token_hashes`` on one flat
  uint64 buffer and row offsets (its fastest prehashed input),
  ``digest_matrix_from_token_hash_sets`` on per-document lists of ints, and a
  per-document ``RMinHash(128, 1).update(tokens)`` loop on each hash as 4
  little-endian bytes (``update`` takes str/bytes tokens only). rensa 0.5's
  R-MinHash is a different sketch (each token picks a slot in a few bucketed
  rounds, not 128 permutations), so only its speed is comparable.

syndetect's shingling (token hashing, n-gram combination, per-set dedup) is timed
separately: "sign" rows compare like with like (hashes in, signatures out), the
"shingle+sign" row adds the work the others were spared. Fast paths are timed
best of ``--repeat``, the datasketch update loop once. Times are CPU seconds of
the pinned process (the machine may be shared); wall seconds are printed beside
them. ``--profile`` adds a stage-by-stage split of the syndetect path, measured
drop-in replacements for its three costliest steps, and a cProfile.
"""

from __future__ import annotations

import os

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("RENSA_PIPELINE_QUEUE_CAP", "0")

import argparse  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from importlib import metadata  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402

NUM_PERM, SEED, NGRAM = 128, 1, 5


WALL: dict[float, float] = {}  # CPU seconds -> wall seconds of the same call


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    """Best CPU time (process_time) of ``repeat`` calls, and the last result.

    CPU time, not wall time: other processes share the machine, and with the
    process pinned to one core and no worker threads CPU time is the work done.
    The matching wall time is kept in ``WALL``.
    """
    best, wall, out = float("inf"), 0.0, None
    for _ in range(repeat):
        w0, t0 = time.perf_counter(), time.process_time()
        out = fn()
        t = time.process_time() - t0
        if t < best:
            best, wall = t, time.perf_counter() - w0
    WALL[best] = wall
    return best, out


def stage_split(token_lists: list[list[str]], mh) -> list[tuple[str, float]]:
    """Wall time of each step of syndetect's shingle + sign path, re-run step by step.

    Mirrors ``Shingles.from_token_lists`` and ``MinHasher.signatures`` (minhash.py)
    so the split shows where the time goes; the totals match the real calls.
    """
    from syndetect.minhash import _BLOCK, _M1, _M2, TokenHasher, _fmix32, _mix64

    out = []
    t = time.process_time

    t0 = t()
    flat = [tok for toks in token_lists for tok in toks]
    offsets = np.zeros(len(token_lists) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in token_lists], out=offsets[1:])
    out.append(("flatten token lists (Python)", t() - t0))
    t0 = t()
    th = TokenHasher().hash_tokens(flat)
    out.append(("TokenHasher.hash_tokens (Python loop + blake2b)", t() - t0))
    t0 = t()
    total, n_sets, lengths = len(th), len(offsets) - 1, np.diff(offsets)
    combo = np.zeros(total, dtype=np.uint64)
    for k in range(NGRAM):
        shifted = np.zeros(total, dtype=np.uint64)
        shifted[: total - k] = th[k:]
        combo = combo * _M1 + (shifted ^ np.uint64(((k + 1) * int(_M2)) & (2**64 - 1)))
    out.append(("n-gram combine (5 shifted passes)", t() - t0))
    t0 = t()
    owner = np.repeat(np.arange(n_sets), lengths)
    pos = np.arange(total) - np.repeat(offsets[:-1], lengths)
    valid = pos + NGRAM <= np.repeat(lengths, lengths)
    sh = (_mix64(combo[valid]) >> np.uint64(32)).astype(np.uint32)
    own = owner[valid]
    out.append(("owner/valid masks + mix64", t() - t0))
    t0 = t()
    order = np.lexsort((sh, own))
    sh, own = sh[order], own[order]
    out.append(("lexsort (owner, hash) + gather", t() - t0))
    t0 = t()
    keep = np.ones(len(sh), dtype=bool)
    keep[1:] = (sh[1:] != sh[:-1]) | (own[1:] != own[:-1])
    sh, own = sh[keep], own[keep]
    counts = np.bincount(own, minlength=n_sets)
    offs = np.zeros(n_sets + 1, dtype=np.int64)
    np.cumsum(counts, out=offs[1:])
    out.append(("dedup + offsets", t() - t0))
    t0 = t()
    mixed = _fmix32(sh)
    out.append(("sign: fmix32", t() - t0))
    aff = red = 0.0
    sig = np.empty((NUM_PERM, n_sets), dtype=np.uint32)
    i = 0
    while i < n_sets:
        j = int(np.searchsorted(offs, offs[i] + _BLOCK, side="left"))
        j = min(max(j, i + 1), n_sets)
        lo, hi = offs[i], offs[j]
        t0 = t()
        block = mh.a * mixed[lo:hi].reshape(1, -1) + mh.b
        aff += t() - t0
        t0 = t()
        sig[:, i:j] = np.minimum.reduceat(block, offs[i:j] - lo, axis=1)
        red += t() - t0
        i = j
    out.append(("sign: affine a*h+b over [128 x n] blocks", aff))
    out.append(("sign: minimum.reduceat", red))
    t0 = t()
    np.ascontiguousarray(sig.T)
    out.append(("sign: transpose to [n x 128]", t() - t0))
    return out


def variants(token_lists: list[list[str]], sh, mh) -> list[tuple[str, float, float, bool | None]]:
    """Measured drop-in replacements for the three costliest steps (same outputs), and
    one-permutation hashing, the numpy route to rensa-class speed (not datasketch-exact).

    Returns (step, current CPU s, variant CPU s, identical output or None) rows.
    """
    from syndetect.minhash import _BLOCK, EMPTY, TokenHasher, _fmix32, token_hash

    flat = [tok for toks in token_lists for tok in toks]

    def hash_map(tokens: list[str]) -> np.ndarray:
        cache: dict[str, int] = {}
        for tok in set(tokens).difference(cache):
            cache[tok] = token_hash(tok)
        return np.fromiter(map(cache.__getitem__, tokens), dtype=np.uint64, count=len(tokens))

    t_cur, ref = timed(lambda: TokenHasher().hash_tokens(flat), 3)
    t_new, new = timed(lambda: hash_map(flat), 3)
    rows = [("token hashes: fill cache from set(), np.fromiter(map)", t_cur, t_new,
             bool(np.array_equal(ref, new)))]

    own = np.repeat(np.arange(len(sh)), sh.sizes())
    rng = np.random.default_rng(0)
    perm = rng.permutation(len(own))  # the sort's input order is arbitrary in the real code
    h, o = sh.hashes[perm], own[perm]

    def one_key() -> np.ndarray:
        key = np.sort((o.astype(np.uint64) << np.uint64(32)) | h)
        return (key & np.uint64(0xFFFFFFFF)).astype(np.uint32)

    t_cur, order = timed(lambda: np.lexsort((h, o)), 3)
    t_new, new = timed(one_key, 3)
    rows.append(("per-set sort: one uint64 key (owner<<32|hash), np.sort",
                 t_cur, t_new, bool(np.array_equal(h[order], new))))

    mixed, offs, n = _fmix32(sh.hashes), sh.offsets, len(sh)

    def sign_out() -> np.ndarray:
        sig = np.empty((mh.num_perm, n), dtype=np.uint32)
        buf = np.empty(mh.num_perm * (_BLOCK + int(sh.sizes().max())), dtype=np.uint32)
        i = 0
        while i < n:
            j = min(max(int(np.searchsorted(offs, offs[i] + _BLOCK, side="left")), i + 1), n)
            lo, hi = offs[i], offs[j]
            blk = buf[: mh.num_perm * (hi - lo)].reshape(mh.num_perm, hi - lo)
            np.multiply(mh.a, mixed[lo:hi], out=blk)
            np.add(blk, mh.b, out=blk)
            sig[:, i:j] = np.minimum.reduceat(blk, offs[i:j] - lo, axis=1)
            i = j
        return np.ascontiguousarray(sig.T)

    t_cur, ref = timed(lambda: mh.signatures(sh), 3)
    t_new, new = timed(sign_out, 3)
    rows.append(("signing: reuse one scratch block (out=), no temporaries",
                 t_cur, t_new, bool(np.array_equal(ref, new))))

    def one_permutation() -> np.ndarray:
        """One-permutation hashing: top 7 bits pick the slot, min of the rest per slot."""
        slot = (mixed >> np.uint32(25)).astype(np.intp)
        sig = np.full(n * 128, EMPTY, dtype=np.uint32)
        np.minimum.at(sig, own * 128 + slot, mixed & np.uint32(0x1FFFFFF))
        return sig.reshape(n, 128)  # empty slots would still need densification

    if mh.num_perm == 128:
        t_new, _ = timed(one_permutation, 3)
        rows.append(("signing: one-permutation hashing (another sketch)", t_cur, t_new, None))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    import datasketch
    import rensa
    from datasketch import MinHash

    from syndetect.minhash import MinHasher, Shingles, TokenHasher
    from syndetect.segment import normalize, tokenize

    articles = synth.generate(args.docs, seed=args.seed)
    t_tok, token_lists = timed(lambda: [tokenize(normalize(a["text"])) for a in articles])
    words = np.mean([len(t) for t in token_lists])
    mh = MinHasher(NUM_PERM, SEED)

    t_sh, sh = timed(
        lambda: Shingles.from_token_lists(token_lists, n=NGRAM, hasher=TokenHasher()), args.repeat
    )
    t_sig, sig = timed(lambda: mh.signatures(sh), args.repeat)
    n = len(sh)
    per_doc = [sh.get(i).tolist() for i in range(n)]
    flat64 = sh.hashes.astype(np.uint64)
    offs64 = sh.offsets.astype(np.uint64)

    def ds_loop():
        out = []
        for hs in per_doc:
            m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32", hashfunc=int)
            for h in hs:
                m.update(h)
            out.append(m)
        return out

    kw = {"num_perm": NUM_PERM, "seed": SEED, "scheme": "affine32", "hashfunc": int}
    t_loop, loop = timed(ds_loop)
    t_bulk, bulk = timed(lambda: MinHash.bulk(per_doc, **kw), args.repeat)
    R = rensa.RMinHash
    t_rflat, rmat = timed(
        lambda: R.digest_matrix_from_flat_token_hashes(flat64, offs64, NUM_PERM, SEED), args.repeat
    )
    t_rsets, _ = timed(
        lambda: R.digest_matrix_from_token_hash_sets(per_doc, NUM_PERM, SEED), args.repeat
    )
    per_doc_bytes = [[h.to_bytes(4, "little") for h in hs] for hs in per_doc]

    def rensa_loop():
        out = []
        for toks in per_doc_bytes:
            m = R(NUM_PERM, SEED)
            m.update(toks)
            out.append(m.digest())
        return out

    t_rloop, _ = timed(rensa_loop, args.repeat)
    t_rensa = min(t_rflat, t_rsets, t_rloop)

    same_loop = sum(np.array_equal(sig[i], m.hashvalues) for i, m in enumerate(loop))
    same_bulk = sum(np.array_equal(sig[i], m.hashvalues) for i, m in enumerate(bulk))
    print(f"{n} synthetic articles, {words:.0f} tokens and {sh.sizes().mean():.0f} distinct "
          f"5-gram shingles per doc on average; {NUM_PERM} permutations; one core")
    from bench_scan import code_state

    print(code_state())
    print(f"versions: datasketch {datasketch.__version__}, rensa {metadata.version('rensa')} "
          f"(RMinHash algorithm {R.ALGORITHM_VERSION}), numpy {np.__version__}")
    print(f"tokenize(normalize(text)) for all contenders (not in the table): {t_tok:.3f} s\n")
    rows = [
        ("datasketch MinHash.update loop", "per-doc list[int]", t_loop),
        ("datasketch MinHash.bulk", "per-doc list[int]", t_bulk),
        ("rensa RMinHash(...).update per document", "per-doc list[bytes4]", t_rloop),
        ("rensa digest_matrix_from_token_hash_sets", "per-doc list[int]", t_rsets),
        ("rensa digest_matrix_from_flat_token_hashes", "flat uint64 + offsets", t_rflat),
        ("syndetect MinHasher.signatures (sign)", "Shingles (CSR uint32)", t_sig),
        ("syndetect Shingles.from_token_lists (shingle)", "token lists", t_sh),
        ("syndetect shingle + sign", "token lists", t_sh + t_sig),
    ]
    print(f"{'method':<48} {'input':<22} {'cpu s':>8} {'wall s':>8} {'docs/s':>9} "
          f"{'x loop':>7} {'x rensa':>8}")
    for name, inp, sec in rows:
        wall = WALL.get(sec, WALL.get(t_sh, 0) + WALL.get(t_sig, 0))
        print(f"{name:<48} {inp:<22} {sec:8.4f} {wall:8.4f} {n / sec:9.0f} {t_loop / sec:7.1f} "
              f"{t_rensa / sec:8.3f}")
    print(f"\ndocs/s and ratios from CPU seconds; 'x rensa' is against rensa's fastest input "
          f"({t_rensa:.4f} s).")
    print(f"syndetect == datasketch update loop, bit for bit: {same_loop}/{n} documents")
    print(f"syndetect == datasketch MinHash.bulk, bit for bit: {same_bulk}/{n} documents")
    print(f"rensa digest matrix shape: {len(rmat.to_rows())} x {rmat.get_num_perm()}")
    sign_x, all_x = t_loop / t_sig, t_loop / (t_sh + t_sig)
    print(f"targets: >= 50x update loop: sign {sign_x:.0f}x, shingle+sign {all_x:.0f}x; "
          f">= 2x rensa: sign {t_rensa / t_sig:.2f}x, shingle+sign {t_rensa / (t_sh + t_sig):.2f}x")

    if args.profile:
        print("\nstage split of syndetect's shingle + sign (CPU seconds, one pass):")
        split = stage_split(token_lists, mh)
        for name, sec in split:
            print(f"  {name:<50} {sec:7.3f}")
        print(f"  {'total':<50} {sum(s for _, s in split):7.3f}")
        print(f"\nmeasured replacements (CPU s, best of 3):\n  {'step':<56} {'now':>7} "
              f"{'variant':>8}  same output")
        for name, cur, new, same in variants(token_lists, sh, mh):
            print(f"  {name:<56} {cur:7.4f} {new:8.4f}  {'n/a' if same is None else same}")
        prof = cProfile.Profile()
        prof.enable()
        mh.signatures(Shingles.from_token_lists(token_lists, n=NGRAM, hasher=TokenHasher()))
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(12)
        print("\ncProfile of shingle + sign, by own time:")
        print("\n".join(buf.getvalue().splitlines()[4:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
