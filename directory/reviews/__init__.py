"""Reviews: submission, verification, publication, replies, flags, votes and ratings."""
