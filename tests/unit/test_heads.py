"""Which head fine-tunes a task, and the errors for a head that cannot."""

from __future__ import annotations

import pytest

from nlpbench.catalog import TASKS
from nlpbench.config import compose_config
from nlpbench.errors import ConfigError
from nlpbench.tasks.heads import head_name


@pytest.mark.parametrize(("task", "head"), [
    ("glue/rte", "classification"), ("glue/stsb", "classification"), ("superglue/multirc", "classification"),
    ("superglue/copa", "multiple_choice"), ("synthetic/sst2", "classification"),
])
def test_each_task_kind_gets_its_default_head(task: str, head: str) -> None:
    assert head_name(TASKS.load(task)) == head


def test_a_head_that_does_not_serve_the_task_kind_is_refused_with_the_heads_that_do() -> None:
    with pytest.raises(ConfigError) as err:
        head_name(TASKS.load("glue/rte"), "multiple_choice")
    problem = err.value.problems[0]
    assert problem.key == "task.head" and "classification" in problem.choices


def test_validation_names_an_unknown_head_with_did_you_mean() -> None:
    with pytest.raises(ConfigError) as err:
        compose_config("finetune", ["task=synthetic/glue/rte", "+task.head=clasification"])
    assert any(p.key == "task.head" and "classification" in p.message for p in err.value.problems)
