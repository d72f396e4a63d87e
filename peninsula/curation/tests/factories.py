"""Factories for slots and topics."""

import factory

from peninsula.curation.models import Slot, SlotEntry, Topic


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot
        django_get_or_create = ("key",)

    name = factory.Sequence(lambda n: f"推荐位{n}")
    key = factory.Sequence(lambda n: f"slot-{n}")
    kind = Slot.LIST


class SlotEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlotEntry

    slot = factory.SubFactory(SlotFactory)
    sort_order = factory.Sequence(lambda n: n)


def section(title, articles):
    return ("section", {"title": title, "articles": list(articles)})


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    title = factory.Sequence(lambda n: f"专题{n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    introduction = "半岛局势的最新进展、背景与评论。"
