using Eventd.Gateway.Http;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>Ids derived from an Idempotency-Key, and a batch's item ids derived from its id.</summary>
public class IdempotentIdentityTests
{
    [Fact]
    public void A_derived_id_is_32_lowercase_hex_and_the_same_for_the_same_project_and_key()
    {
        var id = IdempotentIdentity.Derive("shop", "order-17");

        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(id, IdempotentIdentity.Derive("shop", "order-17"));
        Assert.NotEqual(id, IdempotentIdentity.Derive("other", "order-17"));
    }

    [Fact]
    public void Item_ids_are_stable_per_batch_and_index_and_distinct_from_each_other()
    {
        var batch = IdempotentIdentity.Derive("shop", "batch-1");
        var items = Enumerable.Range(0, 1000).Select(i => IdempotentIdentity.ItemOf(batch, i)).ToList();

        Assert.Equal(items, Enumerable.Range(0, 1000).Select(i => IdempotentIdentity.ItemOf(batch, i)));
        Assert.Equal(1000, items.Distinct().Count());
        Assert.All(items, id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.DoesNotContain(batch, items);
        Assert.NotEqual(items[0], IdempotentIdentity.ItemOf(IdempotentIdentity.Derive("shop", "batch-2"), 0));
    }
}
