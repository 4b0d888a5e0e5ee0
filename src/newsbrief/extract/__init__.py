"""Stage 2, per-article extraction: furniture, sentences, figures, dates, entity mentions, statements.

Pure functions of one article's text; nothing here looks at another article.
"""
