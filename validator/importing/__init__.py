"""``runbook import``: markdown runbooks in, YAML runbooks out (parse, convert, emit)."""
