"""Therapists: profiles, their specialties and languages, and their accreditations."""
