using Eventd.Grains.Batching;
using Eventd.Grains.Indexes;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Events;

/// <summary>
/// Keeps the status index of events (<see cref="StatusIndexKeys"/>) that the event list reads. A transition adds the event to its status's sets and removes it from the sets of the status it
/// leaves; when that is unknown (a write failed midway) from every other status's, which also repairs an
/// entry a crash left wrong. In the same script a settled event is entered in its shard's due clean-ups
/// (<see cref="StatusIndexKeys.Expiring"/>) for when it expires, and an un-settled one leaves them. So a
/// transition costs one script of two removals and two additions, a third addition when it settles (its
/// clean-up) and a third removal when it leaves a settled status. Transitions of one project and shard
/// between the same statuses that grains of this silo make at nearly the same time (fires due together)
/// share one script (<see cref="KeyedWrites{TKey, TItem}"/>).
/// </summary>
public sealed class EventStatusIndex
{
    // KEYS: each status's set of the project, then each status's set of every project, in one order, then
    // the due clean-ups. ARGV: the position (from 1) of the status the members are in now; the position of
    // the one they leave (-1 for none, 0 when unknown: every other); the project; '1' when they may have a
    // clean-up due to remove; then for each member: itself, its score, when it expires (Unix ms, '' for
    // never). Members go 333 at a time: unpack is bounded by Lua's stack.
    private const string Script = """
        local statuses = (#KEYS - 1) / 2
        local expiring = KEYS[#KEYS]
        local current = tonumber(ARGV[1])
        local previous = tonumber(ARGV[2])
        for first = 5, #ARGV, 999 do
          local members, entries, undue, dueEntries = {}, {}, {}, {}
          for i = first, math.min(first + 996, #ARGV - 2), 3 do
            members[#members + 1] = ARGV[i]
            entries[#entries + 1] = ARGV[i + 1]
            entries[#entries + 1] = ARGV[i]
            local cleanup = ARGV[3] .. '/' .. ARGV[i]
            if ARGV[i + 2] == '' then
              undue[#undue + 1] = cleanup
            else
              dueEntries[#dueEntries + 1] = ARGV[i + 2]
              dueEntries[#dueEntries + 1] = cleanup
            end
          end
          for s = 1, statuses do
            for _, key in ipairs({KEYS[s], KEYS[statuses + s]}) do
              if s == current then
                redis.call('ZADD', key, unpack(entries))
              elseif previous == 0 or s == previous then
                redis.call('ZREM', key, unpack(members))
              end
            end
          end
          if #dueEntries > 0 then
            redis.call('ZADD', expiring, unpack(dueEntries))
          end
          if #undue > 0 and ARGV[4] == '1' then
            redis.call('ZREM', expiring, unpack(undue))
          end
        end
        return 0
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly string _serviceId;
    private readonly KeyedWrites<Transition, Moved> _moves;

    public EventStatusIndex(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
    {
        _redis = redis;
        _serviceId = cluster.Value.ServiceId;
        _moves = new(RunAsync);
    }

    /// <summary>Moves one event (see <see cref="SetAsync(string, IEnumerable{string}, EventStatus, IndexedStatus, DateTimeOffset, DateTimeOffset?)"/>), in a script it may share with others.</summary>
    public Task SetAsync(string project, string eventId, EventStatus status, IndexedStatus from, DateTimeOffset createdAt, DateTimeOffset? expiresAt = null) =>
        _moves.WriteAsync(Transition.Of(project, IdShards.Of(eventId), status, from), Moved.Of(eventId, createdAt, expiresAt));

    /// <summary>
    /// Moves events of one project, created at one time, from <paramref name="from"/> to <paramref name="status"/>, due for
    /// clean-up at <paramref name="expiresAt"/> (settled) or never: one script per shard
    /// the events fall in, its keys sharing the shard's hash tag (one Redis Cluster slot). StackExchange.Redis
    /// loads the script once per server and sends it as <c>EVALSHA</c> after that.
    /// </summary>
    public Task SetAsync(string project, IEnumerable<string> eventIds, EventStatus status, IndexedStatus from, DateTimeOffset createdAt, DateTimeOffset? expiresAt = null) =>
        Task.WhenAll(eventIds.GroupBy(IdShards.Of).Select(shard => RunAsync(
            Transition.Of(project, shard.Key, status, from),
            [.. shard.Select(id => Moved.Of(id, createdAt, expiresAt))])));

    private Task<RedisResult> RunAsync(Transition transition, IReadOnlyList<Moved> moved)
    {
        var args = new RedisValue[4 + (3 * moved.Count)];
        (args[0], args[1], args[2], args[3]) = (transition.Position, transition.Leaving, transition.Project, transition.MayBeDue);
        for (var i = 0; i < moved.Count; i++)
        {
            (args[4 + (3 * i)], args[5 + (3 * i)], args[6 + (3 * i)]) = (moved[i].EventId, moved[i].Score, moved[i].Expiry);
        }

        return _redis.GetDatabase().ScriptEvaluateAsync(
            Script,
            [.. StatusIndexKeys.Transition(_serviceId, transition.Project, transition.Shard).Select(key => (RedisKey)key)],
            args);
    }

    /// <summary>What the members of one script share: their project and shard, the status they enter and the one they leave.</summary>
    private readonly record struct Transition(string Project, int Shard, int Position, int Leaving, string MayBeDue)
    {
        public static Transition Of(string project, int shard, EventStatus status, IndexedStatus from)
        {
            var leaving = !from.Known ? 0 : from.Status is { } previous ? PositionOf(previous) : -1;

            // Only a settled status has a clean-up due (entering any other removes it): leaving an unsettled
            // one, or none (a new event), removes nothing. A clean-up left by an expired event of a new one's
            // id takes only entries older than its expiry (see ExpiringEvents).
            var mayBeDue = from.Known && from.Status is (null or EventStatus.Scheduled or EventStatus.Delivering or EventStatus.Paused) ? "" : "1";
            return new(project, shard, PositionOf(status), leaving, mayBeDue);
        }

        private static int PositionOf(EventStatus status) => StatusIndexKeys.Statuses.IndexOf(status) + 1;
    }

    /// <summary>One member moved: its score (creation) and when its clean-up is due (settled) or never.</summary>
    private readonly record struct Moved(string EventId, double Score, RedisValue Expiry)
    {
        public static Moved Of(string eventId, DateTimeOffset createdAt, DateTimeOffset? expiresAt) =>
            new(eventId, CreationScore.Of(createdAt), expiresAt is { } at ? at.ToUnixTimeMilliseconds() : RedisValue.EmptyString);
    }
}
