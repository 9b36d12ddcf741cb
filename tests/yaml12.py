"""YAML as editors (YAML 1.2's core schema) read and write it, for tests that compare the
validator with the JSON Schema: PyYAML alone speaks YAML 1.1, where `yes` is true and "08" a
string."""

from __future__ import annotations

import re
from typing import Any

import yaml

from kapprep.yamlcheck.walker import _BOOL_RE, _NULL_RE, _NUMBER_RE


class Yaml12Loader(yaml.SafeLoader):
    """Reads plain scalars as YAML 1.2's core schema does: `yes` is a word, `08` a number."""


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
    ("bool", _BOOL_RE.pattern, "tTfF"),
    ("int", r"[-+]?[0-9]+|0x[0-9a-fA-F]+", "-+0123456789"),  # 0o17 left out: PyYAML can't build it
    (
        "float",
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN",
        "-+.0123456789",
    ),
    ("null", _NULL_RE.pattern, ["~", "n", "N", ""]),
]:
    Yaml12Loader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(f"^(?:{_pattern})$"), list(_first)
    )

Yaml12Loader.add_constructor(
    "tag:yaml.org,2002:int",
    lambda loader, node: int(node.value, 16 if node.value.startswith("0x") else 10),
)


class Yaml12Dumper(yaml.SafeDumper):
    """Quotes every string YAML 1.2 would read as something else."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    not_text = any(rx.fullmatch(value) for rx in (_NULL_RE, _BOOL_RE, _NUMBER_RE))
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if not_text else None)


Yaml12Dumper.add_representer(str, _represent_str)


def load(text: str) -> Any:
    return yaml.load(text, Loader=Yaml12Loader)


def dump(doc: Any) -> str:
    return yaml.dump(doc, Dumper=Yaml12Dumper, allow_unicode=True, sort_keys=False, width=1000)
