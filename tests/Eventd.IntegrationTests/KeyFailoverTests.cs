using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eventd.TestSupport;
using Xunit.Abstractions;

namespace Eventd.IntegrationTests;

/// <summary>
/// Fires waiting at a flow-control key or an ordering key survive a silo killed with SIGKILL, and a full
/// restart (API.md section 2): each is delivered, the ordered ones still in due order.
/// </summary>
public sealed class KeyFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_silo_killed_while_fires_wait_at_their_keys_loses_none_and_keeps_their_order()
    {
        await using var eventd = new EventdCluster();
        await eventd.StartAsync();
        await eventd.StartSiloUntilActiveAsync(2, "both silos active");
        var (flowPath, flowIds, orderPath) = await CreateWaitingFiresAsync(eventd);

        await Poll.UntilAsync(() => eventd.Receiver.ReceivedOn(flowPath).Count >= 2, TimeSpan.FromSeconds(30), "the first flow-controlled fires delivered");
        await eventd.Silos[0].KillAsync();
        var killedAt = DateTimeOffset.UtcNow;

        await AssertAllDeliveredAsync(eventd, flowPath, flowIds, orderPath);
        output.WriteLine($"last fire arrived {(eventd.Receiver.Received.Max(r => r.At) - killedAt).TotalSeconds:F1} s after the kill");
    }

    [Fact]
    public async Task A_full_restart_while_fires_wait_at_their_keys_loses_none_and_keeps_their_order()
    {
        await using var eventd = new EventdCluster();
        await eventd.StartAsync();
        var (flowPath, flowIds, orderPath) = await CreateWaitingFiresAsync(eventd);

        await Poll.UntilAsync(() => eventd.Receiver.ReceivedOn(flowPath).Count >= 2, TimeSpan.FromSeconds(30), "the first flow-controlled fires delivered");
        await eventd.StopAllAsync();
        eventd.StartSilo();
        eventd.StartGateway();
        await eventd.WaitReadyAsync();
        var readyAt = DateTimeOffset.UtcNow;

        await AssertAllDeliveredAsync(eventd, flowPath, flowIds, orderPath);
        output.WriteLine($"last fire arrived {(eventd.Receiver.Received.Max(r => r.At) - readyAt).TotalSeconds:F1} s after ready");
    }

    [Fact]
    public async Task Fires_of_an_ordering_key_late_because_their_silo_froze_still_arrive_in_due_order()
    {
        await using var eventd = new EventdCluster();
        await eventd.StartAsync();
        await eventd.StartSiloUntilActiveAsync(2, "both silos active");
        var run = Guid.NewGuid().ToString("N");
        var path = $"/frozen/{run}";
        var due = DateTimeOffset.UtcNow.AddSeconds(5);
        for (var n = 0; n < 12; n++)
        {
            await eventd.CreateEventAsync(new { url = eventd.Receiver.Url(path), timestamp = due.AddMilliseconds(n * 20).ToUnixTimeMilliseconds(), data = new { n }, orderingKey = run });
        }

        // Frozen from just before the first due time for 4 s: the fires of the events it holds come seconds
        // late, those of the other silo's on time, and the late ones are due first as often as not.
        var untilFreeze = due.AddMilliseconds(-300) - DateTimeOffset.UtcNow;
        Assert.True(untilFreeze > TimeSpan.Zero, "the creates took longer than the lead before the due time");
        await Task.Delay(untilFreeze);
        await eventd.Silos[0].FreezeAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await eventd.Silos[0].ContinueAsync();

        await Poll.UntilAsync(() => eventd.Receiver.ReceivedOn(path).Select(r => r.Body).Distinct().Count() >= 12, Recovery, "every ordered fire delivered");
        var firstArrivals = eventd.Receiver.NumbersOn(path).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, 12), firstArrivals);
        output.WriteLine($"first fire {(eventd.Receiver.ReceivedOn(path)[0].At - due).TotalSeconds:F1} s after its due time, last {(eventd.Receiver.ReceivedOn(path)[^1].At - due).TotalSeconds:F1} s");
    }

    /// <summary>12 fires at a key of 1 a second and 8 at an ordering key whose receiver takes 1 s each: all wait seconds for their turn.</summary>
    private static async Task<(string FlowPath, IReadOnlyList<string> FlowIds, string OrderPath)> CreateWaitingFiresAsync(EventdCluster eventd)
    {
        var run = Guid.NewGuid().ToString("N");
        var flowPath = $"/keys/{run}/flow";
        var orderPath = $"/keys/{run}/order";
        eventd.Receiver.Hold = r => r.Path == orderPath ? TimeSpan.FromSeconds(1) : TimeSpan.Zero;
        var due = DateTimeOffset.UtcNow.AddSeconds(2);
        var flowIds = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            flowIds.Add(await eventd.CreateEventAsync(new { url = eventd.Receiver.Url(flowPath), timestamp = due.ToUnixTimeMilliseconds(), flowControl = new { key = run, rate = 1 } }));
        }

        for (var n = 0; n < 8; n++)
        {
            await eventd.CreateEventAsync(new { url = eventd.Receiver.Url(orderPath), timestamp = due.AddMilliseconds(n * 10).ToUnixTimeMilliseconds(), data = new { n }, orderingKey = run });
        }

        return (flowPath, flowIds, orderPath);
    }

    private static async Task AssertAllDeliveredAsync(EventdCluster eventd, string flowPath, IReadOnlyList<string> flowIds, string orderPath)
    {
        try
        {
            await Poll.UntilAsync(
                () => eventd.Receiver.ReceivedOn(flowPath).Select(r => r.Header("webhook-id")).Distinct().Count() >= 12
                    && eventd.Receiver.ReceivedOn(orderPath).Select(r => r.Body).Distinct().Count() >= 8,
                Recovery,
                "every waiting fire delivered");
        }
        catch (TimeoutException ex)
        {
            var flowArrived = eventd.Receiver.ReceivedOn(flowPath).Select(r => r.Header("webhook-id")).Distinct().Count();
            var ordered = string.Join(", ", eventd.Receiver.NumbersOn(orderPath));
            throw new TimeoutException($"{ex.Message}: {flowArrived} of 12 flow-controlled fires arrived; ordered arrivals: {ordered}\n{eventd.Diagnostics()}", ex);
        }
        Assert.Equal(flowIds.Select(id => $"{id}.1").Order(), eventd.Receiver.ReceivedOn(flowPath).Select(r => r.Header("webhook-id")).Distinct().Order());
        var firstArrivals = eventd.Receiver.NumbersOn(orderPath).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, 8), firstArrivals);
        foreach (var id in flowIds)
        {
            var read = await Poll.UntilAsync(() => eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(60), $"{id} delivered");
            Assert.Equal("delivered", read.GetProperty("status").GetString());
        }
    }

}
