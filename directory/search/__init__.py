"""Search: one denormalised document per published therapist."""
