"""Accounts: users, sign-in, email verification and password reset."""
