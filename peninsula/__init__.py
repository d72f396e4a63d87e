"""Peninsula: a news portal and publishing system."""
