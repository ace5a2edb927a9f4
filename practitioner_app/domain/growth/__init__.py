"""Growth (DOMAIN.md, "Growth, body maps and photographs"): UK-WHO centiles and SDS through the
RCPCH's `rcpchgrowth`, age corrected for prematurity, the chart every renderer draws, and the checks
that catch a measurement typed in the wrong units.

Pure: no Qt, no database. `reference` wraps rcpchgrowth, `ages` says which age a measurement is
judged at, `chart` builds the one chart definition, `plausibility` asks before an unlikely value
is kept.
"""
