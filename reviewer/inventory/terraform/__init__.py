"""Terraform (HCL and `.tf.json`): modules instantiated, functions with their roles, triggers and routes."""
