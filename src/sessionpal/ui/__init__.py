"""sessionpal's Textual UI: screens, dialogs and widgets on top of the core."""
