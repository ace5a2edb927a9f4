"""Growth (DOMAIN.md, "Growth, body maps and photographs"): UK-WHO centiles and SDS through the
RCPCH's `rcpchgrowth`, age corrected for prematurity, the chart every renderer draws, and the checks
that catch a measurement typed in the wrong units.

Pure: no Qt, no database. `uk_who` reads rcpchgrowth's UK-WHO tables by its rules without
importing it (SciPy), `reference` gives SDS, centiles and centile lines from them, `ages` says which age a measurement is
judged at, `chart` builds the one chart definition, `plausibility` asks before an unlikely value
is kept.
"""
