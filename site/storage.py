"""Static files in production: hashed names, compressed copies, and hashed imports.

Whitenoise serves a file whose name carries its content hash with a lifetime
of a year, and anything else for a minute. Django's manifest storage rewrites
`url()` in CSS but, by default, not `import … from "…"` in JavaScript, so
site.js would import GOV.UK Frontend by its plain name, fetched again every
minute. With import rewriting on, the import names the hashed file too.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
