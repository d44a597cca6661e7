"""Units donated: reported by a participant, logged by an organiser, confirmed or rejected."""
