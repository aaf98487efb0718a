"""A short, repeated wellbeing check-in that relatives may choose to complete."""
