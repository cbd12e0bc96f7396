using Eventd.Grains.Hosting;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Buckets;

/// <summary>
/// When a silo is declared dead, the event timers it held and the scans of the buckets it held are
/// gone: a bucket's sweep would find those fires only seconds later, and a bucket that lived there
/// would wait for its reminder's next tick. So one silo that stays (the lowest address among the
/// active ones, so the others do not repeat it) resumes at once every bucket that may hold a fire
/// due now; each wakes again what it had woken, and the events arm their timers where they are now.
/// </summary>
public sealed partial class LostSiloRecovery(
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<LostSiloRecovery> logger) : ActiveSiloTask
{
    protected override async Task RunAsync(CancellationToken stopping)
    {
        var previous = membership.CurrentSnapshot;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stopping))
            {
                var lost = snapshot.CreateUpdate(previous).Changes.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToList();
                previous = snapshot;
                if (lost.Count > 0 && IsFirstActive(snapshot))
                {
                    ResumeBuckets(lost);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The silo is stopping.
        }
        catch (Exception ex)
        {
            // The buckets' own sweeps and reminders still recover every fire, only later.
            LogFollowFailed(logger, ex);
        }
    }

    private bool IsFirstActive(ClusterMembershipSnapshot snapshot) =>
        snapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress.ToParsableString())
            .Order(StringComparer.Ordinal)
            .FirstOrDefault() == local.SiloAddress.ToParsableString();

    private void ResumeBuckets(List<SiloAddress> lost)
    {
        var buckets = BucketsToResume(time.GetUtcNow());
        foreach (var bucket in buckets)
        {
            // One-way: a resume that is lost leaves the bucket to its sweep and reminder, as before.
            _ = grains.GetGrain<IEventBucketGrain>(bucket.ToString()).Resume();
        }

        LogResumed(logger, lost, buckets.Count);
    }

    /// <summary>
    /// Every bucket, of every shard, that may hold a member woken by <paramref name="now"/> and not yet
    /// fired, for wake-up times up to a slack back: a bucket keeps members due up to its slack after its
    /// minute (so one that old may sit a slack and a minute further back), and the next minute's bucket
    /// wakes its first members before that minute begins. A member overdue by more is its own bucket's
    /// sweep's (that bucket is awake: its reminder keeps it so).
    /// </summary>
    public static IReadOnlyList<BucketId> BucketsToResume(DateTimeOffset now)
    {
        var minute = now.ToUnixTimeMilliseconds() / (long)BucketId.Width.TotalMilliseconds;
        var slackMinutes = (long)Math.Ceiling(BucketTiming.Slack / BucketId.Width);
        var buckets = new List<BucketId>();
        for (var m = minute - (2 * slackMinutes) - 1; m <= minute + 1; m++)
        {
            for (var shard = 0; shard < BucketId.ShardCount; shard++)
            {
                buckets.Add(new BucketId(shard, m));
            }
        }

        return buckets;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silos} was lost: {Count} time buckets resumed")]
    private static partial void LogResumed(ILogger logger, List<SiloAddress> silos, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped following the cluster's membership; lost silos' fires wait for their buckets' sweeps")]
    private static partial void LogFollowFailed(ILogger logger, Exception exception);
}
