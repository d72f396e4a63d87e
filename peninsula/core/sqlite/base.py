"""Django's SQLite backend, with its placeholders converted by a plain replace where that gives
the same SQL.

Django writes `%s` placeholders, and its SQLite cursor rewrites them to `?` on every execute
with a look-behind regex (so that a literal `%%s` stays as it is). That scan cost 57 µs for the
article's 4 KB query, more than running it; an article page spent a tenth of a bare view on it
(docs/decisions.md, "SQLite placeholders"). Without `%%` in the SQL the regex and `replace`
give the same string.
"""

from django.db.backends.sqlite3 import base


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None and "%%" not in query:
            return query.replace("%s", "?")
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)
