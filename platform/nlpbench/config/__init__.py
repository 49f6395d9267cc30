"""Typed configs: compose with Hydra from conf/, then validate everything before any work starts."""

from nlpbench.config.compose import CONFIG_GROUPS, compose_config, conf_dir, group_options

__all__ = ["CONFIG_GROUPS", "compose_config", "conf_dir", "group_options"]
