"""The case workspace for one child: overview and tabs."""
