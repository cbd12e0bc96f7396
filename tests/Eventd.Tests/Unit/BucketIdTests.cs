using Eventd.Grains.Buckets;

namespace Eventd.Tests.Unit;

public sealed class BucketIdTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 15, 20, TimeSpan.Zero);

    [Fact]
    public void An_event_goes_to_the_minute_of_its_wake_up_time()
    {
        var bucket = BucketId.For("53daf8ae20d94a0c95f34c43427ad91f", Now.AddMinutes(10), Now);

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 25, 0, TimeSpan.Zero), bucket.Start);
        Assert.Equal(bucket.Start + TimeSpan.FromMinutes(1), bucket.End);
    }

    [Fact]
    public void An_overdue_wake_up_goes_to_the_current_minute()
    {
        var bucket = BucketId.For("53daf8ae20d94a0c95f34c43427ad91f", Now.AddHours(-3), Now);

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 15, 0, TimeSpan.Zero), bucket.Start);
    }

    [Fact]
    public void A_bucket_covers_its_minute_and_its_slack_only()
    {
        var bucket = BucketId.For("id", Now, Now);

        Assert.True(bucket.Covers(bucket.Start, Now));
        Assert.True(bucket.Covers(bucket.End + BucketTiming.Slack, Now));
        Assert.False(bucket.Covers(bucket.End + BucketTiming.Slack + TimeSpan.FromMilliseconds(1), Now));
        Assert.False(new BucketId(bucket.Shard, bucket.Minute + 1).Covers(Now, Now));
    }

    [Fact]
    public void A_bucket_no_longer_covers_anything_once_its_slack_is_over()
    {
        var bucket = BucketId.For("id", Now, Now);
        var later = bucket.End + BucketTiming.Slack + TimeSpan.FromSeconds(1);

        Assert.False(bucket.Covers(Now, later));
    }

    [Theory]
    [InlineData("3:29400000")]
    [InlineData("0:0")]
    [InlineData("15:1")]
    public void The_key_round_trips(string key)
    {
        Assert.True(BucketId.TryParse(key, out var bucket));
        Assert.Equal(key, bucket.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("3")]
    [InlineData(":5")]
    [InlineData("16:5")]
    [InlineData("-1:5")]
    [InlineData("3:x")]
    public void Other_keys_are_refused(string? key)
    {
        Assert.False(BucketId.TryParse(key, out _));
    }

    [Fact]
    public void The_timer_window_reaches_past_what_a_scan_may_already_have_passed()
    {
        Assert.True(BucketTiming.TimerWindow > BucketTiming.PokeLead + BucketTiming.ScanInterval);
        Assert.True(BucketTiming.IsTimerNear(Now + BucketTiming.TimerWindow, Now));
        Assert.False(BucketTiming.IsTimerNear(Now + BucketTiming.TimerWindow + TimeSpan.FromMilliseconds(1), Now));
    }

    [Fact]
    public void A_bucket_retires_only_after_no_event_can_be_placed_in_it()
    {
        var bucket = BucketId.For("id", Now, Now);
        var lastPlacement = bucket.End + BucketTiming.Slack;

        Assert.False(bucket.Covers(lastPlacement + TimeSpan.FromMilliseconds(1), lastPlacement + TimeSpan.FromMilliseconds(1)));
        Assert.False(BucketTiming.CanRetire(bucket, lastPlacement));
        Assert.False(BucketTiming.CanRetire(bucket, lastPlacement + BucketTiming.RetireMargin));
        Assert.True(BucketTiming.CanRetire(bucket, lastPlacement + BucketTiming.RetireMargin + TimeSpan.FromMilliseconds(1)));
    }
}
