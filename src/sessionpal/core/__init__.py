"""sessionpal's core: plain files in, domain objects out. Never imports Textual."""
