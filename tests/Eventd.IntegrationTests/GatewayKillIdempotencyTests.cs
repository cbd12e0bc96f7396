using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Eventd.TestSupport;
using Xunit.Abstractions;

namespace Eventd.IntegrationTests;

/// <summary>
/// Idempotency by identity, as a client meets it: the gateway killed with SIGKILL while creates with
/// <c>Idempotency-Key</c>s are in flight, and every create that got no answer retried with its key.
/// </summary>
public sealed class GatewayKillIdempotencyTests(ITestOutputHelper output)
{
    private const int Creates = 400;
    private const int InFlight = 16;

    [Fact]
    public async Task Every_key_retried_across_a_killed_gateway_ends_with_exactly_one_event_delivered_once()
    {
        await using var eventd = new EventdCluster();
        await eventd.StartAsync();
        var run = Guid.NewGuid().ToString("N");
        var keys = Enumerable.Range(0, Creates).Select(i => $"kill-{run}-{i}").ToArray();
        var answers = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        var before = await eventd.StoredEventCountAsync();

        // First pass: creates run until the gateway dies under them; whatever got no 201 is left for the retry.
        var answered = 0;
        var killing = Task.Run(async () =>
        {
            await Poll.UntilAsync(() => Volatile.Read(ref answered) >= Creates / 4, TimeSpan.FromSeconds(60), "a quarter of the creates answered");
            await eventd.Gateway!.KillAsync();
        });
        var unanswered = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (key, _) =>
        {
            if (await TryCreateAsync(eventd, key, run) is { } id)
            {
                answers.GetOrAdd(key, _ => []).Add(id);
                Interlocked.Increment(ref answered);
            }
            else
            {
                unanswered.Add(key);
            }
        });
        await killing;
        var killedWith = unanswered.Count;

        // Then the gateway comes back and every create without an answer is retried with its key until answered.
        eventd.StartGateway();
        await eventd.WaitReadyAsync();
        var retries = 0;
        await Parallel.ForEachAsync(unanswered, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (key, _) =>
        {
            var id = await Poll.UntilAsync(
                async () =>
                {
                    Interlocked.Increment(ref retries);
                    return await TryCreateAsync(eventd, key, run);
                },
                answer => answer is not null,
                TimeSpan.FromSeconds(60),
                $"a retry of {key} to be answered");
            answers.GetOrAdd(key, _ => []).Add(id!);
        });

        output.WriteLine($"{Creates} creates, {killedWith} without an answer when the gateway was killed, {retries} retries to answer them all");
        Assert.True(killedWith > 0, "every create was answered before the kill: the scenario did not happen");
        Assert.All(keys, key => Assert.Single(answers[key].Distinct()));
        Assert.Equal(before + Creates, await eventd.StoredEventCountAsync());

        // Each event fires once: its receiver path (one per key) sees one webhook-id, however often it was sent.
        await Poll.UntilAsync(() => keys.All(key => eventd.Receiver.ReceivedOn(PathOf(run, key)).Count > 0), TimeSpan.FromSeconds(60), "every event delivered");
        Assert.All(keys, key => Assert.Equal(
            $"{answers[key].First()}.1",
            Assert.Single(eventd.Receiver.ReceivedOn(PathOf(run, key)).Select(r => r.Header("webhook-id")).Distinct())));
    }

    private static string PathOf(string run, string key) => $"/gateway-kill/{run}/{key}";

    /// <summary>One create with its key: the id of a 201 (first or replayed), or null for no answer, a 5xx or a 409.</summary>
    private static async Task<string?> TryCreateAsync(EventdCluster eventd, string key, string run)
    {
        var body = JsonSerializer.Serialize(new { delay = 1, url = eventd.Receiver.Url(PathOf(run, key)) });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/eventd/v1/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        try
        {
            using var response = await eventd.Http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                Assert.True((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.Conflict, $"a create answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                return null;
            }

            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }
}
