using StackExchange.Redis;

namespace Eventd.Gateway.EventLog;

/// <summary>
/// Stores one transaction in one step on the Redis server (a Lua script): only while its event exists and
/// the transaction is still as it was read (compare and set), and together with the index entries that find
/// the event by that transaction's state. A stale read costs the caller a re-read, never a lost change.
/// </summary>
public static class TransactionWrite
{
    public enum Outcome
    {
        EventGone = -1,
        ChangedMeanwhile = 0,
        Written = 1,
    }

    // KEYS: 1 the event's hash, 2 the set of the new state, 3 the set of any state, 4 the set of the state left (the new one when none).
    // ARGV: 1 the transaction's field, 2 its value as read ('' when absent), 3 its new value, 4 the event key,
    //       5 the event's creation time (the score), 6 the oldest score kept, 7 the sets' expiry (ms since the epoch).
    private static readonly string Script = $"""
        if redis.call('HEXISTS', KEYS[1], '{StoredEvent.EventField}') == 0 then return -1 end
        if (redis.call('HGET', KEYS[1], ARGV[1]) or '') ~= ARGV[2] then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
        redis.call('ZREM', KEYS[4], ARGV[4])
        for i = 2, 3 do
          redis.call('ZADD', KEYS[i], ARGV[5], ARGV[4])
          redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', '(' .. ARGV[6])
          redis.call('PEXPIREAT', KEYS[i], ARGV[7])
        end
        return 1
        """;

    /// <summary>Replaces <paramref name="previous"/> (read as <paramref name="previousJson"/>; null when there was none) by <paramref name="next"/>.</summary>
    public static async Task<Outcome> RunAsync(
        IDatabase db, EventLogKeys keys, LoggedEvent loggedEvent, LoggedTransaction? previous, RedisValue previousJson, LoggedTransaction next, long oldestKept, long setsExpireAt)
    {
        RedisKey[] sets =
        [
            keys.Event(loggedEvent.Key),
            keys.Transactions(next.TxKey, next.State),
            keys.Transactions(next.TxKey, EventLogKeys.AnyState),
            keys.Transactions(next.TxKey, previous?.State ?? next.State),
        ];
        RedisValue[] values =
        [
            StoredEvent.TransactionField(next.TxKey),
            previousJson.IsNull ? "" : previousJson,
            StoredEvent.Serialize(next),
            loggedEvent.Key,
            loggedEvent.CreatedAt,
            oldestKept,
            setsExpireAt,
        ];
        return (Outcome)(int)await db.ScriptEvaluateAsync(Script, sets, values);
    }
}
