"""Review semantics: which lines a pull request makes commentable, what is new, what gates."""
