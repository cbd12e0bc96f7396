using Eventd.Grains.Buckets;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>What keeps a bucket's sweep from waking the same member again and again while its fire is under way.</summary>
public class RecentWakesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_member_never_woken_may_be_woken() =>
        Assert.True(new RecentWakes().MayWakeAgain("a", Now));

    [Fact]
    public void A_member_woken_lately_is_held_back_until_the_rewake_interval_has_passed()
    {
        var recent = new RecentWakes();
        recent.Woke("a", Now);

        Assert.False(recent.MayWakeAgain("a", Now + BucketTiming.RewakeAfter - TimeSpan.FromMilliseconds(1)));
        Assert.True(recent.MayWakeAgain("a", Now + BucketTiming.RewakeAfter));
        Assert.True(recent.MayWakeAgain("b", Now));
    }

    [Fact]
    public void A_change_of_membership_forgets_every_wake_so_a_dead_silos_events_are_woken_at_once()
    {
        var recent = new RecentWakes();
        recent.Follow(membershipVersion: 7);
        recent.Woke("a", Now);

        recent.Follow(membershipVersion: 7);
        Assert.False(recent.MayWakeAgain("a", Now));

        recent.Follow(membershipVersion: 8);
        Assert.True(recent.MayWakeAgain("a", Now));
    }

    [Fact]
    public void Pruning_drops_only_wakes_too_old_to_hold_anything_back()
    {
        var recent = new RecentWakes();
        recent.Woke("old", Now);
        recent.Woke("new", Now + TimeSpan.FromSeconds(5));

        recent.Prune(Now + BucketTiming.RewakeAfter);

        Assert.Equal(1, recent.Count);
        Assert.False(recent.MayWakeAgain("new", Now + BucketTiming.RewakeAfter));
    }
}
