"""Authors become ordered credits with roles (ArticleAuthor): every article keeps its authors,
in the order readers saw them (by name), credited for the text (文); drafts and other
revisions get the same credits in their content, so publishing an older draft keeps them."""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


def _by_name(author_ids, rank):
    """The authors in the order the page listed them: by name, as the database sorts."""
    return sorted((pk for pk in author_ids if pk in rank), key=rank.__getitem__)


def credits_from_authors(apps, schema_editor):
    Article = apps.get_model("content", "Article")
    ArticleAuthor = apps.get_model("content", "ArticleAuthor")
    Author = apps.get_model("content", "Author")
    ordered = Author.objects.order_by("name", "pk").values_list("pk", flat=True)
    rank = {pk: n for n, pk in enumerate(ordered)}
    by_article = {}
    for article_id, author_id in Article.authors.through.objects.values_list(
        "article_id", "author_id"
    ).iterator():
        by_article.setdefault(article_id, []).append(author_id)
    ArticleAuthor.objects.bulk_create(
        (
            ArticleAuthor(article_id=article_id, author_id=author_id, role="text", sort_order=i)
            for article_id, author_ids in by_article.items()
            for i, author_id in enumerate(_by_name(author_ids, rank))
        ),
        batch_size=1000,
    )
    _revisions_with_credits(apps, rank)


def _revisions_with_credits(apps, rank):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="content", model="article").first()
    if content_type is None:
        return
    revisions = Revision.objects.filter(base_content_type=content_type).only("pk", "content")
    changed = []
    for revision in revisions.iterator():
        content = revision.content
        if not isinstance(content, dict) or "authors" not in content or "credits" in content:
            continue
        author_ids = content.pop("authors") or []
        content["credits"] = [
            {
                "pk": None,
                "article": content.get("pk"),
                "author": author_id,
                "role": "text",
                "sort_order": i,
            }
            for i, author_id in enumerate(_by_name(author_ids, rank))
        ]
        changed.append(revision)
        if len(changed) >= 500:
            Revision.objects.bulk_update(changed, ["content"])
            changed = []
    Revision.objects.bulk_update(changed, ["content"])


def authors_from_credits(apps, schema_editor):
    Article = apps.get_model("content", "Article")
    ArticleAuthor = apps.get_model("content", "ArticleAuthor")
    Article.authors.through.objects.bulk_create(
        {
            (article_id, author_id): Article.authors.through(
                article_id=article_id, author_id=author_id
            )
            for article_id, author_id in ArticleAuthor.objects.values_list("article_id", "author_id")
        }.values(),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0008_article_comment_count"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleAuthor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("text", "Text"),
                            ("translation", "Translation"),
                            ("photography", "Photography"),
                            ("editing", "Editing"),
                        ],
                        default="text",
                        max_length=20,
                        verbose_name="role",
                    ),
                ),
                (
                    "article",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="credits",
                        to="content.article",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="credits",
                        to="content.author",
                        verbose_name="author",
                    ),
                ),
            ],
            options={
                "verbose_name": "credit",
                "verbose_name_plural": "credits",
                "ordering": ["sort_order"],
                "abstract": False,
            },
        ),
        migrations.RunPython(credits_from_authors, authors_from_credits),
        migrations.RemoveField(model_name="article", name="authors"),
        migrations.AddField(
            model_name="article",
            name="authors",
            field=models.ManyToManyField(
                blank=True,
                related_name="articles",
                through="content.ArticleAuthor",
                to="content.author",
                verbose_name="authors",
            ),
        ),
    ]
