"""widgets of the sessionpal app, one per file."""
