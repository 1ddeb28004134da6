"""Shared bases used by every domain: model mixins, tenancy, outbox, tokens, errors."""
