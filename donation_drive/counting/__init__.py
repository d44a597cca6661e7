"""Where units are counted: which donations count, tallies, progress, milestones and the ripple."""
