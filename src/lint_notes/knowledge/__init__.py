"""The knowledge base: entities, claims, the model-facts table and rules."""
