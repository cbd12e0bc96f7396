using Eventd.Grains.Endpoints;
using Eventd.Grains.Interfaces;
using Eventd.TestSupport;

namespace Eventd.Tests.Grains;

/// <summary>
/// API.md "Endpoint health" and "Bulk redrive" in a TestCluster on real Redis. Each test that disables an
/// endpoint gets a receiver (an origin) of its own, so the shared receiver is never disabled for other tests.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class EndpointHealthGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private IGrainFactory Grains => fixture.Cluster.Client;

    private IScheduledEventGrain Event(string id) => Grains.GetGrain<IScheduledEventGrain>(id);

    [Fact]
    public async Task A_410_disables_the_endpoint_the_next_fire_fails_without_a_request_and_enable_with_redrive_delivers_it()
    {
        await using var receiver = new Receiver();
        await receiver.StartAsync();
        var gone = true;
        receiver.Respond = (_, _) => Volatile.Read(ref gone) ? (410, null) : (200, null);
        var origin = EndpointOrigin.Of(receiver.Url())!;
        var endpoint = Grains.GetGrain<IEndpointHealthGrain>(EndpointOrigin.Key("default", origin));

        var first = Events.NewId();
        await Event(first).Create(Events.Webhook(receiver.Url("/first"), TimeSpan.Zero, retries: 0));
        await Poll.UntilAsync(() => Event(first).Get(), v => v?.Status == EventStatus.Failed, Deadline, "the 410 fire to fail");
        var disabled = await Poll.UntilAsync(() => endpoint.Get(), v => v.Disabled, Deadline, "the endpoint to be disabled");
        Assert.Equal(EndpointHealthRules.GoneReason, disabled.Reason);

        var second = Events.NewId();
        await Event(second).Create(Events.Webhook(receiver.Url("/second"), TimeSpan.Zero, retries: 3));
        var refused = await Poll.UntilAsync(() => Event(second).Get(), v => v?.Status == EventStatus.Failed, Deadline, "the fire to the disabled endpoint to fail");
        Assert.Equal(EndpointGate.DisabledError, refused!.LastDelivery!.Error);
        Assert.Equal(1, refused.LastDelivery.Attempts);
        Assert.Empty(receiver.ReceivedOn("/second"));
        var letters = await Grains.GetGrain<IDeadLetterListGrain>(0).Page("default", 1, 100);
        Assert.Contains(letters.Items, l => l.Id == second && l.LastError == EndpointGate.DisabledError);

        Volatile.Write(ref gone, false);
        Assert.True(await endpoint.Enable());
        var count = await Grains.GetGrain<IDeadLetterRedriveGrain>(0).Redeliver("default", new DeadLetterSelection(receiver.Url("/"), null, null, 10));

        Assert.Equal(2, count);
        await Poll.UntilAsync(() => Event(second).Get(), v => v?.Status == EventStatus.Delivered, Deadline, "the redriven fire to be delivered");
        Assert.Single(receiver.ReceivedOn("/second"));
        Assert.False((await endpoint.Get()).Disabled);
    }

    [Fact]
    public async Task Failures_reported_over_disable_after_disable_the_endpoint_and_list_it()
    {
        var origin = $"https://sustained-{Guid.NewGuid():N}.example:443";
        var endpoint = Grains.GetGrain<IEndpointHealthGrain>(EndpointOrigin.Key("default", origin));
        var start = DateTimeOffset.UtcNow;

        var early = await endpoint.Failed(new EndpointFailures(9, start, start + TimeSpan.FromDays(4), Gone: false));
        Assert.False(early.Disabled);
        var late = await endpoint.Failed(new EndpointFailures(1, start + TimeSpan.FromDays(5), start + TimeSpan.FromDays(5), Gone: false));

        Assert.True(late.Disabled);
        Assert.Equal(start, late.FailingSince);
        var listed = Assert.Single(await Grains.GetGrain<IEndpointListGrain>(0).List("default"), v => v.Origin == origin);
        Assert.True(listed.Disabled);
        Assert.True(await Grains.GetGrain<IEndpointListGrain>(0).DisabledCount() >= 1);

        Assert.True(await endpoint.Enable());
        Assert.False(Assert.Single(await Grains.GetGrain<IEndpointListGrain>(0).List("default"), v => v.Origin == origin).Disabled);
    }

    [Fact]
    public async Task A_success_ends_the_failing_streak()
    {
        var endpoint = Grains.GetGrain<IEndpointHealthGrain>(EndpointOrigin.Key("default", $"https://streak-{Guid.NewGuid():N}.example:443"));
        var start = DateTimeOffset.UtcNow;
        await endpoint.Failed(new EndpointFailures(9, start, start + TimeSpan.FromDays(3), Gone: false));
        await endpoint.Succeeded(start + TimeSpan.FromDays(4));

        var after = await endpoint.Failed(new EndpointFailures(1, start + TimeSpan.FromDays(6), start + TimeSpan.FromDays(6), Gone: false));

        Assert.False(after.Disabled);
        Assert.Equal(1, after.Failures);
        Assert.Equal(start + TimeSpan.FromDays(4), after.LastSuccessAt);
    }

    [Fact]
    public async Task Enabling_an_origin_never_seen_is_refused_and_stores_nothing()
    {
        var origin = $"https://never-{Guid.NewGuid():N}.example:443";

        Assert.False(await Grains.GetGrain<IEndpointHealthGrain>(EndpointOrigin.Key("default", origin)).Enable());
        Assert.DoesNotContain(await Grains.GetGrain<IEndpointListGrain>(0).List("default"), v => v.Origin == origin);
    }
}
