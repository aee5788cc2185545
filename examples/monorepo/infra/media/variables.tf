variable "python_runtime" {
  description = "Runtime of the thumbnailer function"
  type        = string
  default     = "python3.8"
}
