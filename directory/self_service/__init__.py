"""Account self-service: a signed-in person's own reviews, settings, data export and deletion.

A package of its own because it spans domains (accounts, reviews, moderation, clinics)
that must not import each other's way round; nothing imports it but create_app.
"""
