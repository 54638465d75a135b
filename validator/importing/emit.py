"""Write an imported runbook as YAML a person will edit: keys in the format's order, multi-line
text as literal blocks, and a header saying where it came from and what to review."""

from __future__ import annotations

from typing import Any

import yaml


class _Dumper(yaml.CSafeDumper):  # LibYAML emits; the pure-Python emitter costs 4x the parse
    pass


def _text(dumper: yaml.CSafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not any(ch in value for ch in "\t\r") and value == value.rstrip(" ") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def to_yaml(doc: dict[str, Any], source: str, notes: list[str]) -> str:
    head = [f"# Imported from {source} by runbook import.",
            "# Review every step marked needs_review, set its risk, then delete the mark."]
    head += [f"#  - {note}" for note in notes[:20]]
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    return "\n".join(head) + "\n" + body
