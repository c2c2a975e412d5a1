"""Models of this app land with its issue (see the README's "Roadmap")."""
