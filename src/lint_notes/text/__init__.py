"""Reading notes: bytes -> text -> Markdown blocks -> sentences and clauses -> normalised text."""
