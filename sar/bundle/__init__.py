"""Stage 5, the bundle: what leaves the council. Today the letters (sar.bundle.letters); the bundle builder, its
release gate and secure delivery come with the review stage they depend on."""
