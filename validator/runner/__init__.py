"""The incident runner: ``runbook run`` walks a responder through a runbook one step at a time,
runs commands safely, keeps the incident clock and writes an append-only journal;
``runbook timeline`` turns that journal into the post-mortem timeline.

The runner is a leaf: it imports the core (model, conditions, secrets, pipeline, durations)
and nothing from the CLI package, the reporters or the docs plugin.
"""
