using Eventd.Grains.Interfaces;
using Eventd.Grains.Ordering;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>Which expected fires the first fire in line at an ordering key still waits for (API.md "Ordering").</summary>
public class ExpectedFiresTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlySet<string> NoneArrived = new HashSet<string>();

    private readonly ExpectedFires _expected = new();

    private static KeyedFire FireOf(string eventId, DateTimeOffset due, DateTimeOffset created) => new($"{eventId}/1/webhook", due, created, EventId: eventId);

    [Fact]
    public void A_fire_due_earlier_that_has_not_arrived_holds_the_first_in_line_back()
    {
        _expected.Expect(new ExpectedFire("late", T, T));
        _expected.Expect(new ExpectedFire("later", T.AddSeconds(1), T));
        _expected.Expect(new ExpectedFire("first", T.AddMilliseconds(500), T));

        Assert.Equal("late", _expected.MissingBefore(FireOf("first", T.AddMilliseconds(500), T), NoneArrived)?.EventId);
        Assert.Null(_expected.MissingBefore(FireOf("first", T.AddMilliseconds(500), T), new HashSet<string> { "late" }));
    }

    [Fact]
    public void Fires_due_with_it_go_by_their_events_creation()
    {
        _expected.Expect(new ExpectedFire("older", T, T));
        _expected.Expect(new ExpectedFire("newer", T, T.AddMilliseconds(1)));

        Assert.Equal("older", _expected.MissingBefore(FireOf("newer", T, T.AddMilliseconds(1)), NoneArrived)?.EventId);
        Assert.Null(_expected.MissingBefore(FireOf("older", T, T), NoneArrived));
    }

    [Fact]
    public void Of_several_missing_the_earliest_is_named()
    {
        _expected.Expect(new ExpectedFire("b", T.AddMilliseconds(200), T));
        _expected.Expect(new ExpectedFire("a", T.AddMilliseconds(100), T));

        Assert.Equal("a", _expected.MissingBefore(FireOf("c", T.AddSeconds(1), T), NoneArrived)?.EventId);
    }

    [Fact]
    public void A_fire_ended_forgets_its_event_unless_the_event_already_told_a_later_one()
    {
        _expected.Expect(new ExpectedFire("once", T, T));
        _expected.Expect(new ExpectedFire("repeating", T.AddMinutes(1), T));

        Assert.True(_expected.Ended("once", T));
        Assert.False(_expected.Ended("repeating", T));
        Assert.True(_expected.Knows("repeating"));
        Assert.False(_expected.Knows("once"));
    }

    [Fact]
    public void A_missing_fire_is_waited_for_its_patience_from_its_due_time_or_from_when_the_key_was_free()
    {
        var missing = new ExpectedFire("lost", T, T);

        Assert.Equal(T + ExpectedFires.Patience, ExpectedFires.PassOverAt(missing, freeSince: T.AddSeconds(-30)));
        Assert.Equal(T.AddHours(1) + ExpectedFires.Patience, ExpectedFires.PassOverAt(missing, freeSince: T.AddHours(1)));
    }

    [Fact]
    public void A_fire_told_again_as_it_was_is_known_and_one_moved_is_not()
    {
        _expected.Expect(new ExpectedFire("e", T, T));

        Assert.True(_expected.Knows(new ExpectedFire("e", T, T)));
        Assert.False(_expected.Knows(new ExpectedFire("e", T.AddSeconds(1), T)));
        Assert.False(_expected.Knows(new ExpectedFire("other", T, T)));
    }
}
