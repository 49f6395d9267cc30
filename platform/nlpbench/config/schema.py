"""Typed schemas of composed run configs; pydantic checks every field and reports all errors."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    """Unknown keys are errors: a typo must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class TokenizerConfig(_Strict):
    """How to train a tokenizer: its family (a registered name) and vocabulary."""

    family: str
    vocab_size: int = Field(ge=1)
    min_frequency: int = Field(default=2, ge=1)
    lowercase: bool = False
    sentinels: int = Field(default=0, ge=0)
    bert_specials: bool = False  # unigram as ALBERT/DeBERTa use it: [CLS] A [SEP], with [MASK]


class ModelConfig(_Strict):
    """A model: a registered family in a named size (``sizes[size]``, then ``config`` overrides),
    or a local checkpoint folder."""

    name: str
    family: str
    size: str | None = None
    checkpoint: str | None = None
    max_length: int = Field(ge=8, le=8192)
    tokenizer: TokenizerConfig | None = None
    sizes: dict[str, dict[str, Any]] = Field(default_factory=dict)
    config: dict[str, Any] = Field(default_factory=dict)
    # ALBERT cross-layer sharing: all, none, or only the attention or FFN sublayers (models/sharing.py)
    sharing: Literal["all", "none", "attention", "ffn"] | None = None


class SyntheticTaskConfig(_Strict):
    seed: int = 0
    n_train: int = Field(ge=10)
    n_dev: int = Field(ge=10)
    n_test: int = Field(ge=0)


class SpanConfig(_Strict):
    """Span extraction (SQuAD): how contexts are windowed and answers decoded."""

    doc_stride: int = Field(default=128, ge=0)  # context tokens shared by consecutive windows
    n_best: int = Field(default=20, ge=1)  # start and end candidates per window, answers kept
    max_answer_length: int = Field(default=30, ge=1)  # in tokens


class HubTaskConfig(_Strict):
    """A Hugging Face hub dataset (or a local folder ``datasets.load_dataset`` reads) for
    ``task.source=hub``; written once in the task's official layout under ``task.data_dir``."""

    path: str | None = None  # required when source=hub (checked with the fix in validate)
    name: str | None = None  # the dataset's config, e.g. "rte" of nyu-mll/glue
    revision: str | None = None  # a branch, tag or commit; None: the default branch


class TaskConfig(_Strict):
    name: str
    source: Literal["synthetic", "local", "hub"]
    data_dir: str | None = None
    synthetic: SyntheticTaskConfig | None = None
    hub: HubTaskConfig | None = None  # read when source=hub
    head: str | None = None  # a registered fine-tuning head other than the task's default
    span: SpanConfig = Field(default_factory=SpanConfig)  # read by the span_extraction head


class TrainerConfig(_Strict):
    accelerator: Literal["cpu", "gpu", "cuda", "mps", "auto"] = "cpu"
    devices: int = Field(default=1, ge=1)
    precision: Literal["auto", "32-true", "16-mixed", "bf16-mixed", "bf16-true"] = "32-true"
    max_epochs: int = Field(ge=1)
    max_steps: int = Field(ge=-1)
    batch_size: int = Field(ge=1)
    eval_batch_size: int = Field(ge=1)
    gradient_clip_val: float | None = Field(default=None, ge=0)
    accumulate_grad_batches: int = Field(default=1, ge=1)
    log_every_n_steps: int = Field(default=10, ge=1)
    val_check_interval: float = Field(default=1.0, gt=0)
    deterministic: bool = True
    num_workers: int = Field(default=0, ge=0)
    enable_progress_bar: bool = True
    # fine-tuning stops after this many validation passes without a better headline (None: never)
    early_stopping_patience: int | None = Field(default=None, ge=1)
    # pretraining: evaluate a fixed validation subset every N optimizer steps (0 or None: only at the end)
    val_every_n_steps: int | None = Field(default=None, ge=0)


class OptimConfig(_Strict):
    name: Literal["adamw"] = "adamw"
    lr: float = Field(gt=0)
    weight_decay: float = Field(default=0.0, ge=0)
    warmup_ratio: float = Field(default=0.0, ge=0, le=1)
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = Field(default=1e-8, gt=0)


class PretrainOptimConfig(OptimConfig):
    """Pretraining's optimiser: the warm-up must end before the run does."""

    warmup_ratio: float = Field(default=0.0, ge=0, lt=1)


class LoggerConfig(_Strict):
    name: Literal["wandb", "none"]
    mode: Literal["offline", "online", "disabled"] = "offline"
    project: str = "nlpbench"
    entity: str | None = None
    dir: str
    tags: list[str] = Field(default_factory=list)


class PathsConfig(_Strict):
    root: str
    data_dir: str
    output_dir: str
    results_dir: str


class RecordsConfig(_Strict):
    url: str


class FinetuneConfig(_Strict):
    """The whole fine-tuning run: ``nlpbench finetune`` composes and validates this first."""

    job: Literal["finetune"] = "finetune"
    seed: int
    model: ModelConfig
    task: TaskConfig
    trainer: TrainerConfig
    optim: OptimConfig
    logger: LoggerConfig
    paths: PathsConfig
    records: RecordsConfig
    group: str | None = None


JOB_SCHEMAS: dict[str, type[_Strict]] = {"finetune": FinetuneConfig}


class CorpusConfig(_Strict):
    """One corpus of the pipeline; which fields matter depends on ``source`` (a registered name)."""

    source: str
    seed: int = 0
    validation_fraction: float = Field(default=0.1, gt=0, lt=1)
    # processes that generate an indexed source (synthetic) in shards; the corpus is the same for
    # any value, so it stays out of dumps (manifests, cache keys)
    num_proc: int = Field(default=2, ge=1, exclude=True)
    # synthetic
    n_documents: int | None = Field(default=None, ge=2)
    sentences_per_document: tuple[int, int] = (3, 8)
    phenomena: dict[str, float] = Field(default_factory=dict)
    # pydocs
    min_sentences: int = Field(default=2, ge=1)
    # local and hf
    path: str | None = None
    text_field: str = "text"
    name: str | None = None
    config: str | None = None
    revision: str | None = None
    split: str = "train"


class TokenizerSpec(TokenizerConfig):
    """A tokenizer of the pipeline: a TokenizerConfig plus the corpus it is trained on."""

    corpus: str


class PretrainingDataConfig(_Strict):
    """Pretraining examples in one format, built from a corpus with a tokenizer."""

    corpus: str
    tokenizer: str
    format: Literal["full_sentences", "doc_sentences", "segment_pair", "sentence_pair", "sop"]
    block_size: int = Field(ge=16, le=8192)
    seed: int = 0
    num_proc: int = Field(default=2, ge=1)
    short_seq_prob: float = Field(default=0.1, ge=0, le=1)


class PretrainGridEntry(_Strict):
    """One run of the pipeline's pretraining grid (config group options of `nlpbench pretrain`)."""

    model: str
    objective: str
    corpus: str
    tokenizer: str
    max_steps: int = Field(ge=1)
    seed: int = 0
    overrides: list[str] = Field(default_factory=list)

    def as_overrides(self, run_name: str) -> list[str]:
        return [f"model={self.model}", f"objective={self.objective}", f"corpus={self.corpus}",
                f"tokenizer={self.tokenizer}", f"trainer.max_steps={self.max_steps}", f"seed={self.seed}",
                f"run_name={run_name}", *self.overrides]


class PipelineConfig(_Strict):
    """The pipeline of dvc.yaml: corpora -> tokenizers -> pretraining data -> pretraining runs."""

    job: Literal["pipeline"] = "pipeline"
    corpora: dict[str, CorpusConfig]
    tokenizers: dict[str, TokenizerSpec]
    pretraining_data: dict[str, PretrainingDataConfig]
    pretrain: dict[str, PretrainGridEntry] = Field(default_factory=dict)


JOB_SCHEMAS["pipeline"] = PipelineConfig


class ObjectiveConfig(_Strict):
    """A pretraining objective (a registered name) and its hyperparameters."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)


class PretrainDataConfig(_Strict):
    """How the run's corpus becomes examples: format (null = the objective's own) and block size."""

    format: Literal["full_sentences", "doc_sentences", "segment_pair", "sentence_pair", "sop"] | None = None
    block_size: int = Field(ge=16, le=8192)
    num_proc: int = Field(default=1, ge=1)
    max_examples: int | None = Field(default=None, ge=1)
    batch_tokens: int | None = Field(default=None, ge=16)  # token-budget batches (null: batch_size)


class PretrainConfig(_Strict):
    """The whole pretraining run: model x objective on a corpus with a tokenizer."""

    job: Literal["pretrain"] = "pretrain"
    seed: int
    run_name: str | None = None
    checkpoint_every: int = Field(ge=1)
    resume: bool = True  # continue from the run folder's last Lightning checkpoint when there is one
    model: ModelConfig
    objective: ObjectiveConfig
    corpus: CorpusConfig
    tokenizer: TokenizerSpec
    data: PretrainDataConfig
    trainer: TrainerConfig
    optim: PretrainOptimConfig
    logger: LoggerConfig
    paths: PathsConfig
    records: RecordsConfig
    group: str | None = None


JOB_SCHEMAS["pretrain"] = PretrainConfig


class SearchDimension(_Strict):
    """One search-space entry: exactly one distribution, e.g. ``{loguniform: [1e-5, 1e-3]}``."""

    choice: list[Any] | None = None
    grid: list[Any] | None = None
    uniform: tuple[float, float] | None = None
    loguniform: tuple[float, float] | None = None
    randint: tuple[int, int] | None = None
    quniform: tuple[float, float, float] | None = None


class SweepResources(_Strict):
    """What one trial reserves on the Ray cluster; fractional GPUs share a device."""

    cpus: float = Field(default=1, gt=0)
    gpus: float = Field(default=0, ge=0)


class SweepRay(_Strict):
    """Where trials run: ``address: null`` starts local Ray; ``auto`` or ``ray://host:port`` joins one."""

    address: str | None = None
    num_cpus: int | None = Field(default=None, ge=1)
    num_gpus: int | None = Field(default=None, ge=0)


class SweepAsha(_Strict):
    """ASHA's rungs, counted in validation passes (``max_t: null`` = trainer.max_epochs; pretraining:
    the periodic validations of trainer.max_steps), and what they compare: ``metric: null`` = the
    sweep's metric; ``dev_loss`` (mode min) does not tie the way accuracy does while every trial still
    predicts the majority class. The best trial is always chosen on the sweep's metric."""

    grace_period: int = Field(default=1, ge=1)
    reduction_factor: float = Field(default=2, gt=1)
    max_t: int | None = Field(default=None, ge=1)
    metric: str | None = None
    mode: Literal["min", "max"] | None = None


class SweepPbt(_Strict):
    """Population-based training: every ``perturbation_interval`` validation passes the bottom
    ``quantile_fraction`` of trials copy a top trial's checkpoint and perturb its space values."""

    perturbation_interval: int = Field(default=1, ge=1)
    quantile_fraction: float = Field(default=0.25, gt=0, le=0.5)
    resample_probability: float = Field(default=0.25, ge=0, le=1)


class SweepConfig(_Strict):
    """A hyperparameter sweep (conf/sweep/<name>.yaml): space x seeds, searched and scheduled by Ray Tune."""

    name: str = Field(min_length=1)
    job: str = "finetune"  # what each trial runs: finetune or pretrain (checked with a did-you-mean)
    base: list[str] = Field(default_factory=list)
    space: dict[str, SearchDimension]
    seeds: list[int] = Field(default_factory=lambda: [0], min_length=1)
    metric: str | None = None
    mode: Literal["max", "min"] = "max"
    scheduler: str = "fifo"
    search: str = "random"
    num_samples: int = Field(default=1, ge=1)
    max_concurrent: int | None = Field(default=None, ge=1)
    max_failures: int = Field(default=0, ge=0)
    resume: bool = True  # false: set the sweep's Tune folder aside and start afresh (a damaged state)
    resources: SweepResources = Field(default_factory=SweepResources)
    ray: SweepRay = Field(default_factory=SweepRay)
    asha: SweepAsha = Field(default_factory=SweepAsha)
    pbt: SweepPbt = Field(default_factory=SweepPbt)
