using Eventd.Grains.Buckets;

namespace Eventd.Tests.Unit;

/// <summary>The buckets resumed when a silo is lost: every one that may hold a member woken and not yet fired.</summary>
public sealed class LostSiloRecoveryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 17, 0, 1, 500, TimeSpan.Zero);

    [Theory]
    [InlineData(0)]
    [InlineData(58_000)]
    [InlineData(59_900)]
    public void Every_bucket_holding_a_member_woken_by_now_is_resumed(int msIntoMinute)
    {
        var now = new DateTimeOffset(2026, 12, 6, 17, 0, 0, TimeSpan.Zero).AddMilliseconds(msIntoMinute);
        var resumed = LostSiloRecovery.BucketsToResume(now).ToHashSet();
        var ids = Enumerable.Range(0, 200).Select(i => $"{i:x32}").ToList();

        // Woken already: wake-up times from as late as a bucket keeps its members to the scan's lead ahead,
        // placed then (its own minute), placed late (the current minute), or kept by an earlier bucket that
        // still covers the time (a reschedule within its slack does not move the member).
        for (var wakeAt = now - BucketTiming.Slack; wakeAt <= now + BucketTiming.PokeLead; wakeAt += TimeSpan.FromMilliseconds(250))
        {
            foreach (var id in ids)
            {
                Assert.Contains(BucketId.For(id, wakeAt, wakeAt), resumed);
                Assert.Contains(BucketId.For(id, wakeAt, now), resumed);
                var own = BucketId.For(id, wakeAt, wakeAt);
                foreach (var keeper in Enumerable.Range(1, 5).Select(back => own with { Minute = own.Minute - back }).Where(b => b.Covers(wakeAt, wakeAt)))
                {
                    Assert.Contains(keeper, resumed);
                }
            }
        }
    }

    [Fact]
    public void Every_shard_is_resumed_and_no_bucket_twice()
    {
        var resumed = LostSiloRecovery.BucketsToResume(Now);

        Assert.Equal(resumed.Count, resumed.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, BucketId.ShardCount), resumed.Select(b => b.Shard).Distinct().Order());
    }
}
