"""multisee analysis library."""
