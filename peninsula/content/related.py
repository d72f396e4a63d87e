"""相关文章: each live article's related articles, computed when articles are written and stored
in `RelatedArticle`, so that the article page reads its list in one query (docs/decisions.md).

The rule: the articles sharing the most tags with it (the newest first on a tie, then the higher
id), weighed among each tag's newest `CANDIDATES` published articles so that a tag on a hundred
thousand articles costs no more than a rare one; then the newest of its category.
"""

from collections import Counter, defaultdict

from .models import Article, ArticleTag, RelatedArticle

# How many of each tag's newest articles are weighed: enough to find the few that share several
# tags among recent stories.
CANDIDATES = 50
# Entries kept per article: the page shows six, and a few spare stand in for entries that expire
# (taken off the site by time, with no write) until the list is next computed.
STORED = 10
# Ids per `IN (…)` list.
CHUNK = 2000


def chunks(values):
    values = sorted(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def compute(owners):
    """{article id: [related ids, best first]} for {article id: category id}; the queries are
    one per distinct tag and category among them, however many articles are computed."""
    tags_of = defaultdict(list)
    for ids in chunks(owners):
        rows = ArticleTag.objects.filter(content_object_id__in=ids)
        for article_id, tag_id in rows.values_list("content_object_id", "tag_id"):
            tags_of[article_id].append(tag_id)
    published = Article.objects.published()
    newest_of_tag = {
        tag_id: list(
            published.tagged(tag_id).latest().values_list("pk", "published_at")[: CANDIDATES + 1]
        )
        for tag_id in {tag_id for tags in tags_of.values() for tag_id in tags}
    }
    newest_of_category = {
        category_id: list(
            published.filter(category_id=category_id)
            .latest()
            .values_list("pk", flat=True)[: 2 * STORED + 1]
        )
        for category_id in set(owners.values())
    }
    # Each tag's candidates: the ids of its newest CANDIDATES, or for one of those, the others
    # and the next newest (an import computes thousands of lists over the same few tags).
    candidates_of = {}
    published_at_of = {}
    for tag_id, rows in newest_of_tag.items():
        top = [pk for pk, _ in rows[:CANDIDATES]]
        candidates_of[tag_id] = (top, [pk for pk, _ in rows[CANDIDATES:]], set(top))
        published_at_of.update(rows)
    lists = {}
    for pk, category_id in owners.items():
        shared = Counter()
        for tag_id in tags_of.get(pk, ()):
            top, spare, top_ids = candidates_of[tag_id]
            shared.update([other for other in top if other != pk] + spare if pk in top_ids else top)
        # Most shared tags, then newest, then the higher id: the keys are distinct (the ids are).
        newest = map(published_at_of.get, shared)
        keys = sorted(zip(shared.values(), newest, shared, strict=True), reverse=True)
        ranked = [other for _, _, other in keys[:STORED]]
        taken = {pk, *ranked}
        for other in newest_of_category[category_id]:
            if len(ranked) >= STORED:
                break
            if other not in taken:
                ranked.append(other)
        lists[pk] = ranked
    return lists


def live_categories(ids):
    """{id: category id} of the live articles among `ids` (scheduled ones included: their list
    is ready when their time comes)."""
    found = {}
    for chunk in chunks(ids):
        rows = Article.objects.filter(pk__in=chunk, live=True)
        found.update(rows.values_list("pk", "category_id"))
    return found


def listing(ids):
    """The articles whose stored lists hold any of `ids`."""
    found = set()
    for chunk in chunks(ids):
        rows = RelatedArticle.objects.filter(related_id__in=chunk)
        found.update(rows.values_list("article_id", flat=True))
    return found
