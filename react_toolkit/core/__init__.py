"""Pages that belong to no single feature: home, health check, policies, navigation."""
