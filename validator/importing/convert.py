"""A parsed markdown page becomes a runbook document, and a list of what a person must still decide.

Sections map by name: Meaning/Summary/Overview -> description, Impact -> impact,
Diagnosis/Investigation -> triage and investigate steps, Mitigation/Resolution -> recover
steps, Verification -> verify, Rollback -> rollback; anything else joins the description.
Shell fences become ``run`` steps, query fences manual steps with ``queries``, interactive
sessions manual steps quoting the commands, numbered lists manual steps, task lists
checklists.  No risk is guessed: command steps carry ``needs_review``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from validator.importing import commands as cmd
from validator.importing.blocks import Block, Page

_SECTIONS = (
    (re.compile(r"(?i)^(meaning|summary|overview|description|about|context|background|symptoms?)\b"), "description"),
    (re.compile(r"(?i)^impact\b"), "impact"),
    (re.compile(r"(?i)^(diagnos\w*|investigat\w*|troubleshoot\w*|triage|debug\w*|checks?|how to check)\b"), "diagnose"),
    (re.compile(r"(?i)^(mitigat\w*|resolution|resolv\w*|remediat\w*|fix\w*|recover\w*|steps|procedure|actions?|response|"
                r"what to do|how to fix|remed\w*)\b"),
     "recover"),
    (re.compile(r"(?i)^(verif\w*|validat\w*|confirm\w*)\b"), "verify"),
    (re.compile(r"(?i)^(roll\s*back|revert\w*|back\s*out|switch\w* back)\b"), "rollback"),
)
_BRANCH = re.compile(r"(?i)\b(if|otherwise|unless|in case|depending on)\b")
_LABELS = {"namespace", "pod", "container", "node", "instance", "job", "service", "deployment", "statefulset", "daemonset",
           "cluster", "persistentvolumeclaim", "cronjob", "host"}
PREFIX_IDENTIFIER = re.compile(r"^[A-Z][A-Za-z0-9_:]*$")
# No risk is guessed for an imported command; until someone sets it, the runner asks before running it.
REVIEW: dict[str, Any] = {"confirm": True, "needs_review": "imported command: set risk (read-only, mutating or destructive)"}


@dataclass
class Imported:
    doc: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    structured_lines: int = 0  # source lines that arrived as steps (commands, lists, queries)


def _item_title(text: str) -> str:
    """A list item's words without its command: "Read the logs with `kubectl logs …`" -> "Read the logs"."""
    words = re.sub(r"`[^`]*`", "", text).strip().rstrip(".:;,")
    words = re.sub(r"(?i)[\s:,-]*(?:\b(?:with|via|using|by running|run)\b[\s:]*)?$", "", words.strip())
    return _first_sentence(words)


def slug(text: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", text)
    return re.sub(r"[^a-z0-9]+", "-", spaced.lower()).strip("-")[:80] or "imported"


def _kind(heading: str) -> str:
    return next((kind for pattern, kind in _SECTIONS if pattern.search(heading.strip())), "other")


def _first_sentence(text: str, limit: int = 80) -> str:
    plain = re.sub(r"[`*_\[\]]|\(http[^)]*\)", "", text).strip().splitlines()[0] if text.strip() else ""
    sentence = re.split(r"(?<=[.:!?])\s", plain, maxsplit=1)[0].rstrip(".:")
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


class _Builder:
    def __init__(self, page: Page, source: str) -> None:
        self.page, self.source = page, source
        self.sections: dict[str, list[dict[str, Any]]] = {"steps": [], "verify": [], "rollback": []}
        self.inputs: dict[str, dict[str, Any]] = {}
        self.notes: list[str] = []
        self.structured = 0
        self.ids: set[str] = set()

    def _id(self, title: str) -> str:
        base = "-".join(slug(title).split("-")[:6])[:60] or "step"
        sid, n = base, 2
        while sid in self.ids:
            sid, n = f"{base}-{n}", n + 1
        self.ids.add(sid)
        return sid

    def _input(self, name: str, line: int) -> None:
        spec = self.inputs.setdefault(name, {"name": name, "description": f"Value for {name} (from {self.source}:{line})"})
        if name in _LABELS and self.page.title and PREFIX_IDENTIFIER.match(self.page.title):
            spec["from_label"] = name

    def add(self, section: str, step: dict[str, Any], lines: int) -> None:
        step = {"id": self._id(step["title"]), **step}
        self.sections[section].append(step)
        self.structured += lines

    def fence(self, section: str, phase: str, block: Block, title: str, context: str) -> None:
        fence = cmd.classify(block.info, block.text)
        lines = block.text.count("\n") + 3
        where = f"{self.source}:{block.line}"
        if fence.kind == "query":
            query: dict[str, Any] = {"title": title or _first_sentence(context) or "Run the query", "phase": phase,
                    "manual": (context or "Run this query and compare the result with what the page expects."),
                    "queries": [{"expr": fence.commands[0], **({"datasource": fence.datasource} if fence.datasource else {})}]}
            self.add(section, query, lines)
        elif fence.kind == "interactive":
            quoted = "\n".join(f"    {c}" for c in fence.commands)
            self.add(section, {"title": title or "Work in an interactive session", "phase": phase,
                               "manual": (context + "\n\n" if context else "") + "Run by hand:\n\n" + quoted}, lines)
            self.notes.append(f"{where}: kept as a manual step because {fence.why_interactive}")
        elif fence.kind == "commands":
            run, names = cmd.parameterise("\n".join(fence.commands))
            for name in names:
                self._input(name, block.line)
            step: dict[str, Any] = {"title": title or _first_sentence(context) or _first_sentence(fence.commands[0])
                                    or "Run the command", "phase": phase}
            if context and context.rstrip(":. ") != step["title"]:
                step["description"] = context
            step["run"] = run
            step.update(REVIEW)
            self.add(section, step, lines)
            if fence.unsure:
                self.notes.append(f"{where}: no prompts in this block, so every line was taken for a command; "
                                  "remove any sample output")
            if fence.dropped_output:
                self.notes.append(f"{where}: {fence.dropped_output} lines of sample output left out")
        else:
            self.add(section, {"title": title or "Read the example", "phase": phase,
                               "manual": (context + "\n\n" if context else "") + "```\n" + block.text + "\n```"}, lines)

    def items(self, section: str, phase: str, block: Block, title: str, context: str) -> None:
        if any(item.checked is not None for item in block.items):
            self.add(section, {"title": title or "Check", "phase": phase,
                               "checklist": [re.sub(r"\s+", " ", i.text) for i in block.items]}, len(block.items))
            return
        commands = [c for item in block.items for c in item.code if cmd.looks_like_command(c)]
        if block.kind == "list" and not commands:
            self.add(section, {"title": title or _first_sentence(block.items[0].text), "phase": phase,
                               "manual": (context + "\n\n" if context else "") + block.text}, len(block.items))
            return
        for item in block.items:
            runnable = [c for c in item.code if cmd.looks_like_command(c)]
            if runnable and block.kind == "list":
                run, names = cmd.parameterise(runnable[0])
                for name in names:
                    self._input(name, item.line)
                self.add(section, {"title": _item_title(item.text) or "Run the command", "phase": phase, "run": run,
                                   **REVIEW}, 1)
            else:
                self.add(section, {"title": _first_sentence(item.text) or "Do this", "phase": phase,
                                   "manual": item.text}, 1)

    def steps_from(self, kind: str, blocks: list[Block], heading: str) -> None:
        section = {"verify": "verify", "rollback": "rollback"}.get(kind, "steps")
        title, context = "", ""
        for index, block in enumerate(blocks):
            phase = {"diagnose": "triage" if not self.sections["steps"] else "investigate",
                     "verify": "verify"}.get(kind, "recover")
            if block.kind == "heading":
                if context:
                    self.add(section, {"title": title or _first_sentence(context), "phase": phase, "manual": context}, 1)
                title, context = block.text, ""
            elif block.kind == "paragraph":
                if _BRANCH.search(block.text) and kind in ("diagnose", "recover"):
                    self.notes.append(f"{self.source}:{block.line}: a branch left as prose: \"{_first_sentence(block.text)}\"")
                context = (context + "\n\n" + block.text).strip()
                if index == len(blocks) - 1 or blocks[index + 1].kind == "heading":
                    self.add(section, {"title": title or _first_sentence(context), "phase": phase, "manual": context}, 1)
                    title, context = "", ""
            elif block.kind == "fence":
                self.fence(section, phase, block, title, context)
                title, context = "", ""
            elif block.kind in ("list", "olist"):
                self.items(section, phase, block, title, context)
                title, context = "", ""
            else:  # tables, html, quotes: shown to the responder as written
                context = (context + "\n\n" + block.text).strip()
        if context:
            self.add(section, {"title": title or _first_sentence(context) or heading, "phase": "recover", "manual": context}, 1)


def convert(page: Page, source: str, service: str, today: str) -> Imported:
    b = _Builder(page, source)
    description: list[str] = [blk.text for blk in page.intro if blk.kind != "fence"]
    impact: list[str] = []
    for heading, _line, blocks in page.sections:
        kind = _kind(heading)
        if kind in ("diagnose", "recover", "verify", "rollback"):
            b.steps_from(kind, blocks, heading)
        else:
            text = "\n\n".join(blk.text if blk.kind != "fence" else f"```\n{blk.text}\n```" for blk in blocks)
            (impact if kind == "impact" else description).append(text if kind != "other" else f"**{heading}**\n\n{text}")
    if not b.sections["steps"]:
        b.add("steps", {"title": "Follow the page", "manual": "\n\n".join(description) or page.title}, 0)
        b.notes.append(f"{source}: no diagnosis or mitigation steps found; the page became one manual step")
    doc: dict[str, Any] = {"version": 1, "kind": "runbook", "id": slug(page.title), "title": page.title, "service": service}
    if PREFIX_IDENTIFIER.match(page.title):
        doc["alerts"] = [page.title]
    if description:
        doc["description"] = "\n\n".join(description)
    if impact:
        doc["impact"] = "\n\n".join(impact)
    if b.inputs:
        doc["inputs"] = list(b.inputs.values())
    doc["steps"] = b.sections["steps"]
    for name in ("verify", "rollback"):
        if b.sections[name]:
            doc[name] = b.sections[name]
    links = [{"title": t, "url": u} for t, u in dict.fromkeys(page.links) if u.startswith(("http://", "https://"))]
    if links:
        doc["links"] = links
    reviews = sum(1 for name in ("steps", "verify", "rollback") for s in b.sections[name] if "needs_review" in s)
    if reviews:
        b.notes.insert(0, f"{source}: {reviews} command step{'s' if reviews > 1 else ''} need{'' if reviews > 1 else 's'} "
                          "a risk level (marked needs_review; asks before running until then)")
    return Imported(doc, b.notes, b.structured)
