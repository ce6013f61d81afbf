"""Stage 2, the clock: events that move each case's statutory deadline and the stored dates worked out from them."""
