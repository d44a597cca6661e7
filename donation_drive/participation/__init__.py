"""A friend's side of a drive: signing up, the pledge, the private page and group visits."""
