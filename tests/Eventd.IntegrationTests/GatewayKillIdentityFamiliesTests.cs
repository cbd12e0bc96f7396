using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Eventd.TestSupport;
using Xunit.Abstractions;

namespace Eventd.IntegrationTests;

/// <summary>
/// Idempotency by identity beyond the Eventd v1 create, as a client meets it: webhook registrations, webhook
/// triggers and Space Cloud queues with <c>Idempotency-Key</c>s in flight when the gateway is killed with
/// SIGKILL, and every request that got no answer retried with its key until answered.
/// </summary>
public sealed class GatewayKillIdentityFamiliesTests(ITestOutputHelper output)
{
    private const int PerFamily = 100;
    private const int InFlight = 16;
    private const string QueueType = "kill-queued";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private enum Family { Register, Trigger, Queue }

    private sealed record Keyed(Family Family, string Key);

    [Fact]
    public async Task Every_registration_trigger_and_queue_retried_across_a_killed_gateway_ends_with_exactly_one_object_counted_and_delivered_once()
    {
        await using var eventd = new EventdCluster();
        await eventd.StartAsync();
        var run = Guid.NewGuid().ToString("N");
        var project = $"p{run}";
        var hookId = await RegisterHookAsync(eventd, run);
        using (var trigger = await eventd.Http.PostAsJsonAsync($"/v1/config/projects/{project}/eventing/triggers/mailer", new { type = QueueType, url = eventd.Receiver.Url(QueuePath(run)) }))
        {
            Assert.Equal(HttpStatusCode.OK, trigger.StatusCode);
        }

        // Interleaved, so the kill falls among requests of every family.
        var requests = Enumerable.Range(0, PerFamily)
            .SelectMany(i => new[] { new Keyed(Family.Register, $"reg-{run}-{i}"), new Keyed(Family.Trigger, $"trig-{run}-{i}"), new Keyed(Family.Queue, $"queue-{run}-{i}") })
            .ToArray();
        var answers = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        var before = await eventd.StoredEventCountAsync();

        var answered = 0;
        var killing = Task.Run(async () =>
        {
            await Poll.UntilAsync(() => Volatile.Read(ref answered) >= requests.Length / 4, Deadline, "a quarter of the requests answered");
            await eventd.Gateway!.KillAsync();
        });
        var unanswered = new ConcurrentBag<Keyed>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (request, _) =>
        {
            if (await TrySendAsync(eventd, request, hookId, project) is { } id)
            {
                answers.GetOrAdd(request.Key, _ => []).Add(id);
                Interlocked.Increment(ref answered);
            }
            else
            {
                unanswered.Add(request);
            }
        });
        await killing;
        var killedWith = unanswered.GroupBy(r => r.Family).ToDictionary(g => g.Key, g => g.Count());

        eventd.StartGateway();
        await eventd.WaitReadyAsync();
        var retries = 0;
        await Parallel.ForEachAsync(unanswered, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (request, _) =>
        {
            var id = await Poll.UntilAsync(
                async () =>
                {
                    Interlocked.Increment(ref retries);
                    return await TrySendAsync(eventd, request, hookId, project);
                },
                answer => answer is not null,
                Deadline,
                $"a retry of {request.Key} to be answered");
            answers.GetOrAdd(request.Key, _ => []).Add(id!);
        });

        output.WriteLine($"{requests.Length} requests; without an answer when the gateway was killed: {string.Join(", ", killedWith.Select(f => $"{f.Value} {f.Key}"))}; {retries} retries to answer them all");
        Assert.True(killedWith.Count > 0, "every request was answered before the kill: the scenario did not happen");
        Assert.All(requests, request => Assert.Single(answers[request.Key].Distinct()));

        // One event per trigger and per queue (one matching trigger), none for a registration (no url).
        Assert.Equal(before + (2 * PerFamily), await eventd.StoredEventCountAsync());

        // Registrations: one hook per key, listed under the id the key was answered.
        var hooks = await ListHooksAsync(eventd);
        var registered = hooks.Where(h => h.GetProperty("userid").GetString()!.StartsWith($"reg-{run}-", StringComparison.Ordinal)).ToList();
        Assert.Equal(PerFamily, registered.Count);
        Assert.All(registered, hook => Assert.Equal(answers[hook.GetProperty("userid").GetString()!].First(), hook.GetProperty("id").GetString()));

        // Triggers: each counted once and delivered once (one webhook-id per key, however often it was sent).
        Assert.Equal(PerFamily, hooks.Single(h => h.GetProperty("id").GetString() == hookId).GetProperty("triggerCount").GetInt64());
        var triggerKeys = requests.Where(r => r.Family == Family.Trigger).Select(r => r.Key).ToArray();
        await Poll.UntilAsync(() => KeysReceived(eventd, TriggerPath(run), TriggerKey).Count == PerFamily, Deadline, "every trigger delivered");
        Assert.All(triggerKeys, key => Assert.Single(WebhookIdsOf(eventd, TriggerPath(run), TriggerKey, key)));

        // Queues: each delivered once, as the CloudEvent whose id the key was answered.
        var queueKeys = requests.Where(r => r.Family == Family.Queue).Select(r => r.Key).ToArray();
        await Poll.UntilAsync(() => KeysReceived(eventd, QueuePath(run), QueuedKey).Count == PerFamily, Deadline, "every queued event delivered");
        Assert.All(queueKeys, key =>
        {
            Assert.Single(WebhookIdsOf(eventd, QueuePath(run), QueuedKey, key));
            Assert.Equal(answers[key].First(), Assert.Single(eventd.Receiver.ReceivedOn(QueuePath(run)).Where(r => QueuedKey(r) == key).Select(r => Json(r.Body).GetProperty("id").GetString()).Distinct()));
        });
    }

    private static string TriggerPath(string run) => $"/gateway-kill-trigger/{run}";

    private static string QueuePath(string run) => $"/gateway-kill-queue/{run}";

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static string? TriggerKey(ReceivedRequest request) => Json(request.Body).GetProperty("body").GetProperty("key").GetString();

    private static string? QueuedKey(ReceivedRequest request) => Json(request.Body).GetProperty("data").GetProperty("key").GetString();

    private static HashSet<string?> KeysReceived(EventdCluster eventd, string path, Func<ReceivedRequest, string?> keyOf) =>
        [.. eventd.Receiver.ReceivedOn(path).Select(keyOf)];

    private static IReadOnlyList<string?> WebhookIdsOf(EventdCluster eventd, string path, Func<ReceivedRequest, string?> keyOf, string key) =>
        [.. eventd.Receiver.ReceivedOn(path).Where(r => keyOf(r) == key).Select(r => r.Header("webhook-id")).Distinct()];

    private static async Task<string> RegisterHookAsync(EventdCluster eventd, string run)
    {
        using var response = await eventd.Http.PostAsJsonAsync("/webhook", new { userid = $"hook-{run}", url = eventd.Receiver.Url(TriggerPath(run)) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Json(await response.Content.ReadAsStringAsync()).GetProperty("id").GetString()!;
    }

    /// <summary>Every hook of project <c>default</c>, page by page.</summary>
    private static async Task<List<JsonElement>> ListHooksAsync(EventdCluster eventd)
    {
        var hooks = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            using var response = await eventd.Http.GetAsync($"/webhook?page={page}&pageSize=100");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = Json(await response.Content.ReadAsStringAsync());
            hooks.AddRange(body.GetProperty("items").EnumerateArray().Select(h => h.Clone()));
            if (page >= body.GetProperty("totalPages").GetInt32())
            {
                return hooks;
            }
        }
    }

    /// <summary>One request with its key: the id answered (first or replayed), or null for no answer, a 5xx or a 409.</summary>
    private static async Task<string?> TrySendAsync(EventdCluster eventd, Keyed request, string hookId, string project)
    {
        var (path, body, expected) = request.Family switch
        {
            Family.Register => ("/webhook", (object)new { userid = request.Key }, HttpStatusCode.OK),
            Family.Trigger => ($"/webhook/{hookId}", new { key = request.Key }, HttpStatusCode.Created),
            _ => ($"/v1/api/{project}/eventing/queue", new { type = QueueType, data = new { key = request.Key } }, HttpStatusCode.OK),
        };
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        message.Headers.Add("Idempotency-Key", request.Key);
        try
        {
            using var response = await eventd.Http.SendAsync(message);
            if (response.StatusCode != expected)
            {
                Assert.True((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.Conflict, $"{request.Key} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                return null;
            }

            return Json(await response.Content.ReadAsStringAsync()).GetProperty("id").GetString();
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
