"""The docs site: an MkDocs plugin that renders runbooks and policies into pages at build time.

Nothing generated is committed: every build reads the same YAML that CI validates, through
:func:`validator.pipeline.run`, so the site cannot drift from the runbooks.  The package is a
leaf: it imports the core and nothing imports it.
"""
