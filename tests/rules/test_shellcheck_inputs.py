"""P308: ShellCheck sees runbook inputs as the quoted variables the runner makes of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.case_helpers import run_in
from tests.rules.conftest import write_repo
from validator.rules import shellcheck

pytestmark = pytest.mark.skipif(shellcheck.binary() is None, reason="ShellCheck is not installed")

RUNBOOK = """\
version: 1
kind: runbook
id: failover
title: Fail over a cluster
service: orders-db
owner: incident-commander
severity: SEV2
inputs:
  - {name: environment, choices: [prod, staging]}
  - {name: cluster, default: eu-1}
  - {name: target, default: /srv/cache}
steps:
  - id: pick
    title: Pick the cluster
    run: |
      case "${environment}-${cluster}" in
        prod-*) echo "production: ${cluster}" ;;
        *) echo other ;;
      esac
      du -sh ${target} '${target}'
      echo "$undeclared"
verify:
  - id: confirm
    run: test -d ${target}
"""


def codes(tmp_path: Path) -> list[tuple[int, str]]:
    write_repo(tmp_path, RUNBOOK)
    found = run_in(tmp_path, shellcheck=True).findings
    return sorted((f.line, f.message.split(":")[0]) for f in found if f.rule == "P308")


def test_inputs_are_variables_and_a_plain_shell_variable_is_still_reported(tmp_path: Path) -> None:
    found = codes(tmp_path)
    assert ("SC2194" not in {code for _, code in found}), found
    assert not [c for line, c in found if c in ("SC2086", "SC2154") and line != 21], found
    assert found == [(21, "SC2154")]  # $undeclared: not an input, never assigned
