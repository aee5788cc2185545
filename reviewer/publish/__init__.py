"""Publishers: GitHub review and summary, Actions files, SARIF, console. They post; they do not decide."""
