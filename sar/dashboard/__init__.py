"""The deadline dashboard: read-only views over the stored clocks (nothing imports this package)."""
