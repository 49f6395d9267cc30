"""One function per job (finetune, ...): the CLI, DVC stages, Ray trials and tests all call these."""
