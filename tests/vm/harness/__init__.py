"""The qemu guest harness behind tests/vm/run-in-guest."""
