"""Training-step overhead of the Lightning pretraining path against a bare PyTorch loop.

Run: .venv/bin/python benchmarks/step_overhead.py [--sizes tiny mini] [--steps 40]
Same model (BERT, mlm_dynamic), same batches, same AdamW + schedule, one process. Reports the
ratio (target overhead <= 5%), tokens per second, and model FLOPs utilisation against this
machine's measured fp32 matmul peak. Writes benchmarks/results/step_overhead.json.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from types import SimpleNamespace

import torch

RESULTS = Path(__file__).resolve().parent / "results" / "step_overhead.json"
SIZES = {
    "tiny": dict(hidden_size=128, num_hidden_layers=6, num_attention_heads=2, intermediate_size=512),
    "mini": dict(hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=1024),
}


def matmul_peak(n: int = 1024, repeats: int = 20) -> float:
    """Measured fp32 matmul FLOP/s of this machine (all threads torch uses)."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(3):
        a @ b
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return 2 * n**3 * repeats / (time.perf_counter() - start)


def make_batches(tokenizer_len: int, steps: int, batch: int, length: int) -> list[dict[str, torch.Tensor]]:
    from nlpbench.objectives.mlm import mask_tokens

    g = torch.Generator().manual_seed(0)
    out = []
    for _ in range(steps):
        ids = torch.randint(5, tokenizer_len, (batch, length), generator=g)
        special = torch.zeros_like(ids)
        masked, labels = mask_tokens(
            ids,
            special,
            mask_id=4,
            vocab_size=tokenizer_len,
            probability=0.15,
            mask_share=0.8,
            random_share=0.1,
            generator=g,
        )
        out.append({"input_ids": masked, "labels": labels, "attention_mask": torch.ones_like(ids)})
    return out


def build(size: str, vocab: int) -> torch.nn.Module:
    from transformers import BertConfig, BertForMaskedLM

    torch.manual_seed(0)
    return BertForMaskedLM(BertConfig(vocab_size=vocab, max_position_embeddings=512, **SIZES[size]))


def bare_loop(size: str, batches: list, optim: SimpleNamespace, warmup: int) -> float:
    from nlpbench.training.optim import adamw_with_schedule

    model = build(size, 2048)
    model.train()
    conf = adamw_with_schedule(model, optim, len(batches))
    opt, sched = conf["optimizer"], conf["lr_scheduler"]["scheduler"]
    for i, batch in enumerate(batches):
        if i == warmup:
            start = time.perf_counter()
        loss = model(**batch).loss
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
    return (time.perf_counter() - start) / (len(batches) - warmup)


class _Timer:
    def __init__(self, warmup: int) -> None:
        self.warmup, self.start, self.end = warmup, 0.0, 0.0

    def on_train_batch_start(self, trainer, module, batch, idx):  # type: ignore[no-untyped-def]
        if idx == self.warmup:
            self.start = time.perf_counter()

    def on_train_end(self, trainer, module):  # type: ignore[no-untyped-def]
        self.end = time.perf_counter()


def lightning_loop(size: str, batches: list, optim: SimpleNamespace, warmup: int) -> float:
    import lightning as L
    from lightning.pytorch.callbacks import Callback

    from nlpbench.objectives.mlm import MLM_DYNAMIC
    from nlpbench.training.pretrain import PretrainModule

    class Timer(_Timer, Callback):
        pass

    timer = Timer(warmup)
    module = PretrainModule(build(size, 2048), MLM_DYNAMIC, optim, len(batches))
    trainer = L.Trainer(
        accelerator="cpu",
        max_steps=len(batches),
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        gradient_clip_val=1.0,
        callbacks=[timer],
        num_sanity_val_steps=0,
    )
    loader = torch.utils.data.DataLoader(batches, batch_size=None, shuffle=False)
    trainer.fit(module, loader)
    return (timer.end - timer.start) / (len(batches) - warmup)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["tiny", "mini"])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--length", type=int, default=128)
    args = parser.parse_args()
    from nlpbench.training import quiet_third_party

    quiet_third_party()
    optim = SimpleNamespace(lr=5e-4, weight_decay=0.01, warmup_ratio=0.06, betas=(0.9, 0.98), eps=1e-6)
    peak = matmul_peak()
    report = {
        "benchmark": "step_overhead",
        "cpus": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "fp32_matmul_peak_gflops": round(peak / 1e9, 1),
        "steps": args.steps,
        "batch": args.batch,
        "length": args.length,
        "sizes": {},
    }
    warmup = 5
    for size in args.sizes:
        batches = make_batches(2048, args.steps, args.batch, args.length)
        # interleaved, best of three each: a burst of load elsewhere hits both paths alike
        bares, lights = [], []
        for _ in range(3):
            bares.append(bare_loop(size, batches, optim, warmup))
            lights.append(lightning_loop(size, batches, optim, warmup))
        bare, light = min(bares), min(lights)
        model = build(size, 2048)
        params = sum(p.numel() for p in model.parameters())
        tokens = args.batch * args.length
        flops = 6 * params * tokens  # forward + backward, the usual 6N per token
        report["sizes"][size] = {
            "parameters": params,
            "bare_step_ms": round(bare * 1e3, 2),
            "lightning_step_ms": round(light * 1e3, 2),
            "overhead": round(light / bare - 1, 4),
            "tokens_per_second": round(tokens / light),
            "mfu": round(flops / light / peak, 4),
            "meets_target": light / bare - 1 <= 0.05,
        }
        r = report["sizes"][size]
        print(
            f"{size}: {params / 1e6:.2f}M params  bare {r['bare_step_ms']} ms/step  lightning "
            f"{r['lightning_step_ms']} ms/step  overhead {r['overhead']:+.1%}  "
            f"{r['tokens_per_second']:,} tok/s  MFU {r['mfu']:.1%} "
            f"of {report['fp32_matmul_peak_gflops']} GFLOP/s"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
