"""Children and their guardians (issue #17): the consent page and its tokens. The writes are in
accounts.services.guardians, the reads in accounts.selectors."""
