"""Reading: how the sentences, tables and context of a note are turned into what the checkers judge."""
