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
/// clean-up) and a third removal when it leaves a settled status.
/// </summary>
public sealed class EventStatusIndex(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
{
    // KEYS: each status's set of the project, then each status's set of every project, in one order, then
    // the due clean-ups. ARGV: the position (from 1) of the status the members are in now; the position of
    // the one they leave (-1 for none, 0 when unknown: every other); their score; when they expire (Unix
    // ms, '' for never); the project; '1' when they may have a clean-up due to remove; the members.
    // Members go a thousand at a time: unpack is bounded by Lua's stack.
    private const string Script = """
        local statuses = (#KEYS - 1) / 2
        local expiring = KEYS[#KEYS]
        local current = tonumber(ARGV[1])
        local previous = tonumber(ARGV[2])
        for first = 7, #ARGV, 1000 do
          local members, entries, due, dueEntries = {}, {}, {}, {}
          for i = first, math.min(first + 999, #ARGV) do
            members[#members + 1] = ARGV[i]
            entries[#entries + 1] = ARGV[3]
            entries[#entries + 1] = ARGV[i]
            due[#due + 1] = ARGV[5] .. '/' .. ARGV[i]
            dueEntries[#dueEntries + 1] = ARGV[4]
            dueEntries[#dueEntries + 1] = due[#due]
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
          if ARGV[4] == '' then
            if ARGV[6] == '1' then
              redis.call('ZREM', expiring, unpack(due))
            end
          else
            redis.call('ZADD', expiring, unpack(dueEntries))
          end
        end
        return 0
        """;

    private readonly string _serviceId = cluster.Value.ServiceId;

    public Task SetAsync(string project, string eventId, EventStatus status, IndexedStatus from, DateTimeOffset createdAt, DateTimeOffset? expiresAt = null) =>
        SetAsync(project, [eventId], status, from, createdAt, expiresAt);

    /// <summary>
    /// Moves events of one project, created at one time, from <paramref name="from"/> to <paramref name="status"/>, due for
    /// clean-up at <paramref name="expiresAt"/> (settled) or never: one script per shard
    /// the events fall in, its keys sharing the shard's hash tag (one Redis Cluster slot). StackExchange.Redis
    /// loads the script once per server and sends it as <c>EVALSHA</c> after that.
    /// </summary>
    public Task SetAsync(string project, IEnumerable<string> eventIds, EventStatus status, IndexedStatus from, DateTimeOffset createdAt, DateTimeOffset? expiresAt = null)
    {
        var db = redis.GetDatabase();
        var position = Position(status);
        var leaving = !from.Known ? 0 : from.Status is { } previous ? Position(previous) : -1;
        var score = CreationScore.Of(createdAt);
        var expiry = expiresAt is { } at ? at.ToUnixTimeMilliseconds() : RedisValue.EmptyString;

        // Only a settled status has a clean-up due (entering any other removes it): leaving an unsettled
        // one, or none (a new event), removes nothing. A clean-up left by an expired event of a new one's
        // id takes only entries older than its expiry (see ExpiringEvents).
        var mayBeDue = from.Known && from.Status is (null or EventStatus.Scheduled or EventStatus.Delivering or EventStatus.Paused) ? "" : "1";
        return Task.WhenAll(eventIds.GroupBy(EveryProjectShards.Of).Select(shard => db.ScriptEvaluateAsync(
            Script,
            [.. StatusIndexKeys.Transition(_serviceId, project, shard.Key).Select(key => (RedisKey)key)],
            [position, leaving, score, expiry, project, mayBeDue, .. shard.Select(id => (RedisValue)id)])));
    }

    private static int Position(EventStatus status) => StatusIndexKeys.Statuses.IndexOf(status) + 1;
}
