"""Cleaning stages: charset decoding, line labelling and the like."""
