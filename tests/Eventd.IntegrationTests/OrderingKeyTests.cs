using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>API.md section 2, "Ordering": the fires of one key reach the receiver one at a time, in due order.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class OrderingKeyTests(SharedClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task Twenty_events_due_in_one_second_arrive_in_due_order_while_the_first_fails_twice_and_other_keys_are_not_held()
    {
        var key = $"order-{Guid.NewGuid():N}";
        var path = $"/ordered/{key}";
        var otherPath = $"/ordered/other-{key}";
        var failures = 0;
        Eventd.Receiver.Respond = (_, r) => r.Path == path && r.Body.Contains("\"n\":0", StringComparison.Ordinal) && Interlocked.Increment(ref failures) <= 2
            ? (503, null)
            : (200, null);
        // The first fire's attempts take 0.7 s each: seconds in which another key's fire must not wait.
        Eventd.Receiver.Hold = r => r.Path == path && r.Body.Contains("\"n\":0", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(700) : TimeSpan.Zero;
        try
        {
            var second = DateTimeOffset.UtcNow.AddSeconds(2);
            second = second.AddMilliseconds(-second.Millisecond);
            // Created last-due first, so creation order never explains the arrival order.
            var created = new List<(int N, string Id)>();
            foreach (var n in Enumerable.Range(0, 20).Reverse())
            {
                var id = await Eventd.CreateEventAsync(new
                {
                    url = Eventd.Receiver.Url(path),
                    timestamp = second.AddMilliseconds(n * 40).ToUnixTimeMilliseconds(),
                    data = new { n },
                    retries = 3,
                    orderingKey = key,
                });
                created.Add((n, id));
            }

            var other = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(otherPath), timestamp = second.ToUnixTimeMilliseconds(), orderingKey = $"other-{key}" });

            await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= 22, Deadline, "20 fires delivered after two failures of the first");
            var arrivals = Eventd.Receiver.NumbersOn(path);
            Assert.Equal([0, 0, 0, .. Enumerable.Range(1, 19)], arrivals);
            var firstDelivered = Eventd.Receiver.ReceivedOn(path)[2].At;
            var otherArrived = Assert.Single(Eventd.Receiver.ReceivedOn(otherPath)).At;
            Assert.True(otherArrived < firstDelivered, "another key's fire waited for this key's failing fire");
            var read = await Eventd.ReadEventAsync(created.Single(c => c.N == 0).Id);
            Assert.Equal(key, read.GetProperty("orderingKey").GetString());
            Assert.Equal(3, read.GetProperty("lastDelivery").GetProperty("attempts").GetInt32());
            Assert.Equal("delivered", (await Eventd.ReadEventAsync(other)).GetProperty("status").GetString());
        }
        finally
        {
            Eventd.Receiver.Respond = null;
            Eventd.Receiver.Hold = null;
        }
    }

    [Fact]
    public async Task Events_due_at_the_same_moment_arrive_in_creation_order_one_at_a_time()
    {
        var key = $"same-{Guid.NewGuid():N}";
        var path = $"/ordered/{key}";
        Eventd.Receiver.TrackOpen(path);
        Eventd.Receiver.Hold = r => r.Path == path ? TimeSpan.FromMilliseconds(100) : TimeSpan.Zero;
        try
        {
            var due = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeMilliseconds();
            for (var n = 0; n < 8; n++)
            {
                await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path), timestamp = due, data = new { n }, orderingKey = key });
            }

            await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= 8, Deadline, "8 fires delivered");
            Assert.Equal(Enumerable.Range(0, 8), Eventd.Receiver.NumbersOn(path));
            Assert.Equal(1, Eventd.Receiver.MostOpen(path));
        }
        finally
        {
            Eventd.Receiver.Hold = null;
        }
    }

    [Fact]
    public async Task A_dead_lettered_fire_releases_its_key_to_the_next()
    {
        var key = $"dead-{Guid.NewGuid():N}";
        var path = $"/ordered/{key}";
        Eventd.Receiver.Respond = (_, r) => r.Path == path && r.Body.Contains("\"n\":0", StringComparison.Ordinal) ? (500, null) : (200, null);
        try
        {
            var due = DateTimeOffset.UtcNow.AddSeconds(1);
            var failing = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path), timestamp = due.ToUnixTimeMilliseconds(), data = new { n = 0 }, retries = 1, orderingKey = key });
            await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path), timestamp = due.AddMilliseconds(10).ToUnixTimeMilliseconds(), data = new { n = 1 }, orderingKey = key });

            await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= 3, Deadline, "the next fire delivered after the first was dead-lettered");
            Assert.Equal([0, 0, 1], Eventd.Receiver.NumbersOn(path));
            Assert.Equal("failed", (await Eventd.ReadEventAsync(failing)).GetProperty("status").GetString());
        }
        finally
        {
            Eventd.Receiver.Respond = null;
        }
    }

    [Fact]
    public async Task A_paused_or_cancelled_event_of_the_key_holds_back_none_due_after_it()
    {
        var key = $"forget-{Guid.NewGuid():N}";
        var path = $"/ordered/{key}";
        var due = DateTimeOffset.UtcNow.AddSeconds(3);
        var ids = new List<string>();
        for (var n = 0; n < 5; n++)
        {
            ids.Add(await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path), timestamp = due.AddMilliseconds(n * 20).ToUnixTimeMilliseconds(), data = new { n }, orderingKey = key }));
        }

        using (var pause = await Eventd.Http.PostAsync($"/eventd/v1/events/{ids[0]}/pause", null))
        {
            Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        }

        using (var cancel = await Eventd.Http.DeleteAsync($"/eventd/v1/events/{ids[1]}"))
        {
            Assert.True(cancel.IsSuccessStatusCode, $"cancel answered {cancel.StatusCode}");
        }

        // The key waits minutes for an expected fire that never comes; these must not wait for the two that will not.
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= 3, TimeSpan.FromSeconds(30), "the three others delivered");
        var arrivals = Eventd.Receiver.NumbersOn(path);
        Assert.Equal([2, 3, 4], arrivals);
        Assert.Equal("paused", (await Eventd.ReadEventAsync(ids[0])).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_events_of_a_batch_due_at_the_same_moment_arrive_in_list_order()
    {
        var key = $"batch-{Guid.NewGuid():N}";
        var path = $"/ordered/{key}";
        var due = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeMilliseconds();
        var ids = await Eventd.CreateBatchAsync(Enumerable.Range(0, 8).Select(n => (object)new { url = Eventd.Receiver.Url(path), timestamp = due, data = new { n }, orderingKey = key }));

        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= 8, Deadline, "the batch delivered");
        var arrivals = Eventd.Receiver.NumbersOn(path);
        Assert.Equal(Enumerable.Range(0, 8), arrivals);
        var created = new List<DateTimeOffset>();
        foreach (var id in ids)
        {
            created.Add((await Eventd.ReadEventAsync(id)).GetProperty("createdAt").GetDateTimeOffset());
        }

        Assert.Equal(created.Order(), created);
    }

    [Fact]
    public async Task A_fire_waiting_at_its_key_when_its_event_is_cancelled_is_never_sent_nor_dead_lettered_while_one_being_sent_goes_on()
    {
        var key = $"withdraw-{Guid.NewGuid():N}";
        var path = $"/ordered/{key}";
        // The first fire's attempt stays open 3 s at the receiver (within its 5-s timeout), holding the key: the
        // second waits behind it, fired but not sent.
        Eventd.Receiver.Hold = r => r.Path == path && r.Body.Contains("\"n\":0", StringComparison.Ordinal) ? TimeSpan.FromSeconds(3) : TimeSpan.Zero;
        try
        {
            var due = DateTimeOffset.UtcNow.AddSeconds(2);
            var ids = new List<string>();
            for (var n = 0; n < 3; n++)
            {
                ids.Add(await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path), timestamp = due.AddMilliseconds(n * 20).ToUnixTimeMilliseconds(), data = new { n }, orderingKey = key }));
            }

            await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= 1, Deadline, "the first fire at the receiver");
            await Poll.UntilAsync(() => Eventd.ReadEventAsync(ids[1]), e => e.GetProperty("status").GetString() == "delivering", Deadline, "the second fire made and waiting");
            foreach (var cancelled in ids.Take(2))
            {
                // The first's attempt is open at the receiver: too late to withdraw, it goes on.
                using var cancel = await Eventd.Http.DeleteAsync($"/eventd/v1/events/{cancelled}");
                Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            }

            // The third goes after the second in the key's order: once it has arrived, the second never will.
            await Poll.UntilAsync(() => Eventd.Receiver.NumbersOn(path).Contains(2), Deadline, "the third fire delivered");
            Assert.Equal([0, 2], Eventd.Receiver.NumbersOn(path));
            var withdrawn = await Poll.UntilAsync(() => Eventd.ReadEventAsync(ids[1]), e => e.GetProperty("lastDelivery").ValueKind == JsonValueKind.Object, Deadline, "the withdrawn fire settled");
            Assert.Equal("cancelled", withdrawn.GetProperty("status").GetString());
            Assert.Equal(0, withdrawn.GetProperty("lastDelivery").GetProperty("attempts").GetInt32());
            Assert.StartsWith("not sent", withdrawn.GetProperty("lastDelivery").GetProperty("error").GetString());
            var sent = await Poll.UntilAsync(() => Eventd.ReadEventAsync(ids[0]), e => e.GetProperty("lastDelivery").ValueKind == JsonValueKind.Object, Deadline, "the first fire settled");
            Assert.Equal("cancelled", sent.GetProperty("status").GetString());
            Assert.Equal("delivered", sent.GetProperty("lastDelivery").GetProperty("status").GetString());
            Assert.Equal(1, sent.GetProperty("lastDelivery").GetProperty("attempts").GetInt32());
            using var deadLetters = await Eventd.Http.GetAsync("/eventd/v1/deadletters?pageSize=100");
            var page = JsonDocument.Parse(await deadLetters.Content.ReadAsStringAsync()).RootElement;
            Assert.DoesNotContain(page.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetString() == ids[1]);
        }
        finally
        {
            Eventd.Receiver.Hold = null;
        }
    }
}
