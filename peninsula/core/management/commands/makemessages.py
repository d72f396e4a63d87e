"""`peninsula makemessages`: Django's, which also reads the reader pages' Jinja2 templates.

Django reads an `.html` file as a Django template: it finds `{{ _("…") }}` in a Jinja2 one but
not `{% trans %}…{% endtrans %}` blocks, whose texts would leave the catalogue as obsolete. A
template in a `jinja2/` folder is read by Jinja2 itself, and its texts go to xgettext as the
calls they are, on their own lines.
"""

import os

from django.core.management.commands import makemessages
from django.template import engines

from peninsula.core.jinja2 import JINJA2


def jinja2_messages_as_python(source):
    """Python source with a gettext call for each text of a Jinja2 template, on its line."""
    lines = [""] * (source.count("\n") + 1)
    for lineno, function, message in engines[JINJA2].env.extract_translations(source):
        texts = message if isinstance(message, tuple) else (message,)
        arguments = ", ".join(repr(text) for text in texts if text is not None)
        lines[lineno - 1] += f"{function}({arguments}); "
    return "\n".join(lines)


class JinjaBuildFile(makemessages.BuildFile):
    def preprocess(self):
        if self.domain != "django" or "jinja2" not in self.path.split(os.sep):
            return super().preprocess()
        with open(self.path, encoding="utf-8") as template:
            content = jinja2_messages_as_python(template.read())
        with open(self.work_path, "w", encoding="utf-8") as work:
            work.write(content)


class Command(makemessages.Command):
    build_file_class = JinjaBuildFile
