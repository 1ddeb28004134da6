"""Clinics, the tenants: their details, memberships, team invitations and console access."""
