"""Reference data: modalities, conditions, credential types and languages."""
