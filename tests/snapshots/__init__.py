"""How the screens look (pytest-textual-snapshot), drawn from recorded replies of a
real daemon so that they do not depend on timing."""
