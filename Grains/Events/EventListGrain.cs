using Eventd.Grains.Indexes;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Events;

/// <summary>
/// Pages through a project's events newest first (every project's: their shards merged) from the status
/// index (<see cref="StatusIndexKeys"/>): a status filter reads that status's sets, no filter every status's
/// merged. A page costs one range read per set and one grain call per item. With a status filter each item
/// is checked with its grain, since an entry is briefly ahead of the event's state (written just before it)
/// or left stale by a crash: such an entry is left out of its page (counted in the total meanwhile), and the
/// event is asked to write its entry again (<see cref="IScheduledEventGrain.Reindex"/>). A text filter reads the events
/// themselves, newest first, up to <see cref="MaxScanned"/> of them.
/// </summary>
[StatelessWorker]
[Reentrant] // Reads only: a silo's workers serve many lists at once.
public sealed class EventListGrain(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster) : Grain, IEventListGrain
{
    public const int MaxScanned = 10_000;
    private const int Batch = 200;

    public async Task<EventPage> Page(EventListRequest request)
    {
        var sets = StatusIndexKeys.Listing(cluster.Value.ServiceId, request.Project, request.Status);
        var index = Index(sets);
        if (request.Q is null)
        {
            var total = await index.CountAsync();
            var members = await index.RangeAsync((long)(request.Page - 1) * request.PageSize, request.PageSize);
            return new EventPage(await MatchingAsync(request, sets, members), total);
        }

        var matches = new List<EventView>();
        var batch = new List<IndexedMember>(Batch);
        var scanned = 0;
        await foreach (var member in index.MembersAsync())
        {
            batch.Add(member);
            if (batch.Count == Batch)
            {
                matches.AddRange(await MatchingAsync(request, sets, batch));
                batch.Clear();
            }

            if (++scanned == MaxScanned)
            {
                break;
            }
        }

        matches.AddRange(await MatchingAsync(request, sets, batch));
        return new EventPage([.. matches.Skip((request.Page - 1) * request.PageSize).Take(request.PageSize)], matches.Count);
    }

    public Task<long> Count(string project, EventStatus status) =>
        Index(StatusIndexKeys.Listing(cluster.Value.ServiceId, project, status)).CountAsync();

    private NewestFirstIndex Index(ListedSet[] sets) => new(redis.GetDatabase(), [.. sets.Select(set => (RedisKey)set.Key)]);

    /// <summary>The events of <paramref name="members"/> that match the request, in order, each once.</summary>
    private async Task<List<EventView>> MatchingAsync(EventListRequest request, ListedSet[] sets, IReadOnlyCollection<IndexedMember> members)
    {
        var views = await Task.WhenAll(members.Select(member => GrainFactory.GetGrain<IScheduledEventGrain>(member.Member.ToString()).Get()));
        var seen = new HashSet<string>();
        return [.. members.Zip(views)
            .Where(listed => listed.Second is { } view && InStatus(request, sets[listed.First.Source].Status, view) && MatchesText(request, view) && seen.Add(view.Id))
            .Select(listed => listed.Second!)];
    }

    /// <summary>
    /// Whether an event listed in <paramref name="listedIn"/> is kept by the status filter. Without one,
    /// every event listed is kept: its entry may lag its state (a fire's first attempt is indexed only if it
    /// outlasts a grace) but it is the event's only entry, so it is listed once.
    /// </summary>
    private bool InStatus(EventListRequest request, EventStatus listedIn, EventView view)
    {
        if (request.Status is null || view.Status == listedIn)
        {
            return true;
        }

        // The index holds it under a status it is not in: written ahead of its state (then this
        // rewrites it as it stands, harmlessly) or left by a crash (then this repairs it).
        GrainFactory.GetGrain<IScheduledEventGrain>(view.Id).Reindex().Ignore();
        return false;
    }

    private static bool MatchesText(EventListRequest request, EventView view) =>
        request.Q is not { } q
        || Contains(view.Spec.Webhook?.Url, q)
        || view.Spec.Targets?.Any(target => Contains(target.Webhook.Url, q)) == true
        || Contains(view.Spec.Channel, q)
        || Contains(view.Spec.Type, q);

    private static bool Contains(string? field, string q) => field?.Contains(q, StringComparison.OrdinalIgnoreCase) == true;
}
