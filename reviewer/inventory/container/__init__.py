"""Container-image functions: the Dockerfile each one builds from, and its base image."""
