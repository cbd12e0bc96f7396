using Eventd.Grains.Webhooks;

namespace Eventd.Tests.Unit;

public sealed class RecentTriggersTests
{
    [Fact]
    public void An_added_id_is_held_and_another_is_not()
    {
        var recent = RecentTriggers.With([], "a");

        Assert.True(RecentTriggers.Holds(recent, "a"));
        Assert.False(RecentTriggers.Holds(recent, "b"));
    }

    [Fact]
    public void Past_the_kept_count_the_oldest_id_is_dropped_first()
    {
        IReadOnlyList<string> recent = [];
        for (var i = 0; i <= RecentTriggers.Kept; i++)
        {
            recent = RecentTriggers.With(recent, $"id-{i}");
        }

        Assert.Equal(RecentTriggers.Kept, recent.Count);
        Assert.False(RecentTriggers.Holds(recent, "id-0"));
        Assert.Equal(("id-1", $"id-{RecentTriggers.Kept}"), (recent[0], recent[^1]));
    }
}
