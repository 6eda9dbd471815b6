using Coordinator.Kubernetes.Watching;

namespace Coordinator.Kubernetes.Tests;

/// <summary>The watch cache never goes back in time: a late watch event or a slow read cannot undo a newer version.</summary>
public sealed class ObjectCacheTests
{
    private sealed record Item(string ResourceVersion, string Value);

    private static ObjectCache<Item> NewCache() => new(item => item.ResourceVersion);

    [Fact]
    public void An_older_version_arriving_after_a_newer_one_is_ignored()
    {
        var cache = NewCache();
        cache.Upsert("test", "vs", new Item("12", "written by us"));
        cache.Upsert("test", "vs", new Item("9", "a late watch event"));
        Assert.Equal("written by us", cache.Get("test", "vs")!.Value);

        cache.Upsert("test", "vs", new Item("12", "the watch event of our write"));
        cache.Upsert("test", "vs", new Item("15", "someone else's edit"));
        Assert.Equal("someone else's edit", cache.Get("test", "vs")!.Value);
    }

    [Fact]
    public void An_object_is_found_at_a_version_only_when_it_is_held_at_exactly_that_version()
    {
        var cache = NewCache();
        var held = new Item("12", "the watch event of our write");
        cache.Upsert("test", "rs", held);

        Assert.Same(held, cache.At("test", "rs", "12"));
        Assert.Null(cache.At("test", "rs", "13")); // the answer of a write the watch has not delivered yet
        Assert.Null(cache.At("test", "rs", "11"));
        Assert.Null(cache.At("test", "rs", null));
        Assert.Null(cache.At("test", "other", "12"));
        Assert.Null(cache.At("elsewhere", "rs", "12"));
    }

    [Fact]
    public void Versions_are_compared_as_numbers_and_a_version_that_is_not_one_is_taken_as_newer()
    {
        var cache = NewCache();
        cache.Upsert("test", "vs", new Item("100", "hundred"));
        cache.Upsert("test", "vs", new Item("99", "ninety-nine"));
        Assert.Equal("hundred", cache.Get("test", "vs")!.Value);
        cache.Upsert("test", "vs", new Item("opaque", "from a server with opaque versions"));
        Assert.Equal("from a server with opaque versions", cache.Get("test", "vs")!.Value);
    }

    [Fact]
    public void A_deletion_removes_the_object_unless_a_newer_version_was_created_since()
    {
        var cache = NewCache();
        cache.Upsert("test", "rs", new Item("20", "recreated"));
        cache.Remove("test", "rs", "18");
        Assert.NotNull(cache.Get("test", "rs"));
        cache.Remove("test", "rs", "21");
        Assert.Null(cache.Get("test", "rs"));
        cache.Remove("test", "missing", null); // nothing to remove is fine
    }

    [Fact]
    public void A_relist_replaces_everything_and_objects_are_kept_per_namespace()
    {
        var cache = NewCache();
        cache.Upsert("a", "one", new Item("1", "a/one"));
        cache.Upsert("b", "two", new Item("2", "b/two"));
        Assert.Equal(["a/one"], cache.InNamespace("a").Select(i => i.Value));

        cache.ReplaceAll([("b", "three", new Item("3", "b/three"))], listResourceVersion: "3");
        Assert.Null(cache.Get("a", "one"));
        Assert.Null(cache.Get("b", "two"));
        Assert.Empty(cache.InNamespace("a"));
        Assert.Equal(["b/three"], cache.InNamespace("b").Select(i => i.Value));
    }

    [Fact]
    public void A_namespaced_relist_replaces_its_namespace_and_leaves_the_others_alone()
    {
        var cache = NewCache();
        cache.Upsert("payments", "one", new Item("1", "payments/one"));
        cache.Upsert("checkout", "two", new Item("2", "checkout/two"));

        cache.Replace("payments", [("payments", "three", new Item("3", "payments/three"))], listResourceVersion: "3");
        Assert.Null(cache.Get("payments", "one"));
        Assert.Equal("payments/three", cache.Get("payments", "three")!.Value);
        Assert.Equal("checkout/two", cache.Get("checkout", "two")!.Value);
    }

    [Fact]
    public void A_relist_answered_before_our_write_landed_keeps_the_write()
    {
        var cache = NewCache();
        cache.Upsert("test", "vs", new Item("12", "weight 5, written by us after the server answered the list"));
        cache.Upsert("test", "rs", new Item("13", "created by us after the list"));
        cache.Upsert("test", "old", new Item("4", "deleted before the list"));

        cache.Replace("test", [("test", "vs", new Item("9", "weight 0")), ("test", "svc", new Item("7", "listed"))], listResourceVersion: "10");

        Assert.Equal("weight 5, written by us after the server answered the list", cache.Get("test", "vs")!.Value);
        Assert.Equal("created by us after the list", cache.Get("test", "rs")!.Value);
        Assert.Equal("listed", cache.Get("test", "svc")!.Value);
        Assert.Null(cache.Get("test", "old"));
    }
}
