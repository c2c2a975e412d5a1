"""Pages of the training app, split by use case."""
