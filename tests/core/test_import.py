"""``runbook import``: markdown runbooks in three styles become runbooks that validate with no error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.core.core_helpers import FICTIONAL, POLICY, assert_clean_failure, run_script, validate

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "import"
PAGES = sorted(CORPUS.glob("*/*.md"))


def _repo(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'fixture'\n" + FICTIONAL, encoding="utf-8")
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "policy.yaml").write_text(POLICY, encoding="utf-8")
    return tmp_path


def _import(tmp_path: Path, *pages: Path) -> tuple[str, dict[str, dict]]:  # type: ignore[type-arg]
    ran = run_script("runbook", "import", *pages, "--out", "runbooks", cwd=tmp_path)
    assert ran.code == 0, ran.both
    docs = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (tmp_path / "runbooks").glob("*.yaml")
            if p.name != "policy.yaml"}
    return ran.out, docs


def test_the_whole_corpus_imports_to_runbooks_with_no_error(tmp_path: Path) -> None:
    assert len(PAGES) >= 20
    out, docs = _import(_repo(tmp_path), *PAGES)
    assert len(docs) == len(PAGES)
    assert f"{len(PAGES)} runbooks written to runbooks: 0 errors" in out
    ran = validate("--format", "json", "runbooks", cwd=tmp_path)
    errors = [f for f in ran.findings() if f["severity"] == "error"]
    assert errors == []
    marks = [f for f in ran.findings() if f["rule"] == "I501"]
    runs = sum(1 for d in docs.values() for s in d["steps"] + d.get("verify", []) + d.get("rollback", []) if "run" in s)
    assert len(marks) == runs > 20  # every imported command is marked, and lint says so until someone sets its risk


def test_meaning_impact_diagnosis_mitigation_page(tmp_path: Path) -> None:
    out, docs = _import(_repo(tmp_path), CORPUS / "kube" / "KubePodCrashLooping.md")
    doc = docs["kube-pod-crash-looping"]
    assert doc["title"] == "KubePodCrashLooping" and doc["alerts"] == ["KubePodCrashLooping"]
    assert doc["description"].startswith("A container in a pod keeps exiting")
    assert doc["impact"] == "The workload runs with fewer replicas than intended, or not at all."
    assert [i["name"] for i in doc["inputs"]] == ["namespace", "pod", "deployment"]
    assert all(i["from_label"] == i["name"] for i in doc["inputs"])  # alert labels fill them when run from the alert
    first, second, query, restart = doc["steps"][:4]
    assert (first["title"], first["run"], first["phase"]) == (
        "Look at the pod and its recent events", "kubectl -n ${namespace} describe pod ${pod}", "triage")
    assert second["run"] == "kubectl -n ${namespace} logs ${pod} --previous"
    assert "risk" not in first and first["confirm"] is True and "set risk" in first["needs_review"]
    assert query["queries"][0]["datasource"] == "prometheus" and "run" not in query
    assert restart["run"] == "kubectl -n ${namespace} rollout restart deployment/${deployment}"
    assert restart["phase"] == "recover"
    assert doc["links"] == [{"title": "Debugging pods",
                             "url": "https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/"}]
    assert 'a branch left as prose: "If the logs show a configuration error' in out


def test_console_transcripts_lose_their_prompts_and_sample_output(tmp_path: Path) -> None:
    out, docs = _import(_repo(tmp_path), CORPUS / "openshift" / "ClusterOperatorDegraded.md")
    runs = [s["run"] for s in docs["cluster-operator-degraded"]["steps"] if "run" in s]
    assert runs[0] == "oc get clusteroperators\noc describe clusteroperator ${name}"
    assert not any("AVAILABLE" in r or r.startswith("$") for r in runs)
    assert "2 lines of sample output left out" in out


def test_interactive_sessions_become_manual_steps_quoting_the_commands(tmp_path: Path) -> None:
    out, docs = _import(_repo(tmp_path), CORPUS / "openshift" / "EtcdMembersDown.md")
    steps = docs["etcd-members-down"]["steps"]
    rsh = next(s for s in steps if "oc -n openshift-etcd rsh etcd-master-0" in s.get("manual", ""))
    assert "run" not in rsh
    assert "opens a shell in a container" in out


def test_lists_become_manual_steps_and_checklists(tmp_path: Path) -> None:
    _, docs = _import(_repo(tmp_path), CORPUS / "freeform" / "redis-memory-high.md")
    steps = docs["redis-memory-high"]["steps"]
    assert steps[0]["manual"].startswith("Open the Redis dashboard")
    runs = [s["run"] for s in steps if "run" in s]
    assert runs[0] == "redis-cli -h ${redis_host} --bigkeys"  # redis-cli with arguments runs, no shell opens
    checklist = next(s for s in steps if "checklist" in s)
    assert checklist["checklist"][0] == "Tell #ops that sessions may be evicted"
    _, docs = _import(tmp_path, CORPUS / "freeform" / "payment-provider-outage.md")
    doc = docs["payment-provider-outage"]
    assert [s["manual"] for s in doc["steps"]][:2] == [
        "Confirm on the provider's status page that they have an incident.",
        "Switch checkout to the backup provider with the feature flag."]
    assert len(doc["rollback"]) == 2


def test_existing_runbooks_are_not_overwritten_without_force(tmp_path: Path) -> None:
    _import(_repo(tmp_path), CORPUS / "kube" / "KubeJobFailed.md")
    again = run_script("runbook", "import", CORPUS / "kube" / "KubeJobFailed.md", "--out", "runbooks", cwd=tmp_path)
    assert_clean_failure(again, codes=(2,))
    assert "pass --force to overwrite it" in again.err
    forced = run_script("runbook", "import", CORPUS / "kube" / "KubeJobFailed.md", "--out", "runbooks", "--force", cwd=tmp_path)
    assert forced.code == 0


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_page_keeps_its_commands(tmp_path: Path, page: Path) -> None:
    """Each shell command line of the page arrives in some step (run, or quoted in a manual step)."""
    shutil.copy(page, tmp_path / page.name)
    _, docs = _import(_repo(tmp_path), tmp_path / page.name)
    [doc] = docs.values()
    everything = yaml.safe_dump(doc, width=10_000)
    text = page.read_text(encoding="utf-8")
    for fence in text.split("```")[1::2]:
        info, _, body = fence.partition("\n")
        if info.strip() in ("shell", "bash", "console", ""):
            for line in body.splitlines():
                command = line.split("$ ", 1)[1] if "$ " in line[:4] else line if info.strip() != "console" else ""
                first = command.strip().split(" ")[0] if command.strip() else ""
                if first and not first.isupper() and not first.startswith("#"):
                    assert first in everything, (page.name, line)


def test_an_imported_query_is_shown_to_the_responder(tmp_path: Path) -> None:
    _import(_repo(tmp_path), CORPUS / "kube" / "KubePodCrashLooping.md")
    ran = run_script("runbook", "run", "kube-pod-crash-looping", "--dry-run", "-i", "namespace=shop", "-i", "pod=web-1",
                     "-i", "deployment=web", cwd=tmp_path)
    assert ran.code == 0, ran.both
    assert "Query in prometheus:" in ran.out
    assert "increase(kube_pod_container_status_restarts_total" in ran.out


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_written_yaml_loads_back_as_the_converted_document(page: Path) -> None:
    from validator.importing import blocks, convert, emit

    result = convert.convert(blocks.parse(page.read_text(encoding="utf-8"), page.stem), page.name, "svc", "2026-01-01")
    assert yaml.safe_load(emit.to_yaml(result.doc, page.name, result.notes)) == result.doc


@pytest.mark.parametrize("value", ["yes", "No", "3", "1.5", "a: b", "- x", "#x", "x #y", " lead", "trail ", "tab\there",
                                   "two\nlines", "ends\n", "ends\n\n", "  indented\nblock", "{x}", "[x]", "*x", "&x",
                                   "!x", "%x", "@x", "`x`", "'q'", '"q"', "ünïcode", "null", "~", "", "a\r\nb"])
def test_awkward_text_survives_the_writer(value: str) -> None:
    from validator.importing import emit

    doc = {"k": value, "l": [value, {"m": value}]}
    assert yaml.safe_load(emit.to_yaml(doc, "x.md", [])) == doc
