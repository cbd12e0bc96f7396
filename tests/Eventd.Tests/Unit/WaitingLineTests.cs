using Eventd.Grains.Flow;
using Eventd.Grains.Interfaces;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The order fires wait in at a key: due time, then their event's creation (API.md "Ordering").</summary>
public class WaitingLineTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_due_goes_first_whatever_order_they_joined_in()
    {
        var line = new WaitingLine();
        line.Join(new KeyedFire("late", T.AddSeconds(2), T));
        line.Join(new KeyedFire("early", T.AddSeconds(1), T.AddSeconds(5)));
        line.Join(new KeyedFire("middle", T.AddMilliseconds(1500), T));

        Assert.Equal(["early", "middle", "late"], TakeAll(line));
    }

    [Fact]
    public void Fires_due_at_the_same_moment_go_in_creation_order()
    {
        var line = new WaitingLine();
        line.Join(new KeyedFire("second", T, T.AddTicks(2)));
        line.Join(new KeyedFire("first", T, T.AddTicks(1)));

        Assert.Equal(["first", "second"], TakeAll(line));
    }

    [Fact]
    public void A_fire_that_asks_again_keeps_its_place_and_is_counted_once()
    {
        var line = new WaitingLine();
        line.Join(new KeyedFire("a", T, T));
        line.Join(new KeyedFire("b", T.AddSeconds(1), T));
        line.Join(new KeyedFire("a", T, T));

        Assert.Equal(2, line.Count);
        Assert.Equal("a", line.First!.Holder);
    }

    [Fact]
    public void A_fire_that_leaves_is_no_longer_waiting()
    {
        var line = new WaitingLine();
        line.Join(new KeyedFire("a", T, T));
        line.Join(new KeyedFire("b", T.AddSeconds(1), T));

        Assert.True(line.Leave("a"));
        Assert.False(line.Leave("a"));
        Assert.False(line.Contains("a"));
        Assert.Equal(["b"], TakeAll(line));
        Assert.Null(line.TakeFirst());
    }

    private static List<string> TakeAll(WaitingLine line)
    {
        var holders = new List<string>();
        while (line.TakeFirst() is { } fire)
        {
            holders.Add(fire.Holder);
        }

        return holders;
    }
}
