using Eventd.Grains.Indexes;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Events;

/// <summary>
/// Pages through a project's events newest first (every project's: their shards merged): from the
/// creation index the event grains and the intake write, or with a status filter from that status's
/// index (<see cref="StatusIndexKeys"/>). A page costs one range read and one grain call per item; each
/// item of a status index is checked with its grain, since an entry is briefly ahead of the event's state
/// (written just before it) or left stale by a crash: such an entry is left out of its page (counted in the
/// total meanwhile), and the event is asked to write its entry again (<see cref="IScheduledEventGrain.Reindex"/>). A text filter reads the events themselves,
/// newest first, up to <see cref="MaxScanned"/> of them.
/// </summary>
[StatelessWorker]
[Reentrant] // Reads only: a silo's workers serve many lists at once.
public sealed class EventListGrain(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster) : Grain, IEventListGrain
{
    public const int MaxScanned = 10_000;
    private const int Batch = 200;

    public async Task<EventPage> Page(EventListRequest request)
    {
        var index = new NewestFirstIndex(redis.GetDatabase(), [.. IndexKeys(request).Select(key => (RedisKey)key)]);
        if (request.Q is null)
        {
            var total = await index.CountAsync();
            var members = await index.RangeAsync((long)(request.Page - 1) * request.PageSize, request.PageSize);
            return new EventPage([.. (await ViewsAsync(members)).Where(view => Matches(request, view))], total);
        }

        var matches = new List<EventView>();
        var batch = new List<IndexedMember>(Batch);
        var scanned = 0;
        await foreach (var member in index.MembersAsync())
        {
            batch.Add(member);
            if (batch.Count == Batch)
            {
                matches.AddRange((await ViewsAsync(batch)).Where(view => Matches(request, view)));
                batch.Clear();
            }

            if (++scanned == MaxScanned)
            {
                break;
            }
        }

        matches.AddRange((await ViewsAsync(batch)).Where(view => Matches(request, view)));
        return new EventPage([.. matches.Skip((request.Page - 1) * request.PageSize).Take(request.PageSize)], matches.Count);
    }

    public Task<long> Count(string project, EventStatus status) =>
        new NewestFirstIndex(redis.GetDatabase(), [.. StatusIndexKeys.Listing(cluster.Value.ServiceId, project, status).Select(key => (RedisKey)key)]).CountAsync();

    private string[] IndexKeys(EventListRequest request) =>
        request.Status is { } status
            ? StatusIndexKeys.Listing(cluster.Value.ServiceId, request.Project, status)
            : EventIndexKeys.Listing(cluster.Value.ServiceId, request.Project);

    private bool Matches(EventListRequest request, EventView view)
    {
        if (request.Status is { } status && view.Status != status)
        {
            // The index holds it under a status it is not in: written ahead of its state (then this
            // rewrites it as it stands, harmlessly) or left by a crash (then this repairs it).
            GrainFactory.GetGrain<IScheduledEventGrain>(view.Id).Reindex().Ignore();
            return false;
        }

        return request.Q is not { } q
            || Contains(view.Spec.Webhook?.Url, q)
            || view.Spec.Targets?.Any(target => Contains(target.Webhook.Url, q)) == true
            || Contains(view.Spec.Channel, q)
            || Contains(view.Spec.Type, q);
    }

    private static bool Contains(string? field, string q) => field?.Contains(q, StringComparison.OrdinalIgnoreCase) == true;

    private async Task<List<EventView>> ViewsAsync(IEnumerable<IndexedMember> ids)
    {
        var views = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IScheduledEventGrain>(id.Member.ToString()).Get()));
        return [.. views.OfType<EventView>()];
    }
}
