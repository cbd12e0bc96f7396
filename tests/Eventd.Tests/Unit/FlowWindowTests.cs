using Eventd.Grains.Flow;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>A flow-control key's limits (API.md "Flow control"), the clock driven by a FakeTimeProvider.</summary>
public class FlowWindowTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));
    private readonly FlowWindow _window = new();

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public void A_rate_admits_that_many_starts_in_a_period_and_the_next_once_the_oldest_has_left_it()
    {
        var limits = new FlowControl { Key = "k", Rate = 3, Period = 2 };
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Admit(limits, $"h{i}"));
            _window.Release($"h{i}", Now);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.False(Admit(limits, "h3"));
        var opening = _window.NextOpening(limits);
        Assert.Equal(Now - TimeSpan.FromMilliseconds(300) + TimeSpan.FromSeconds(2) + KeyPermits.RateMargin, opening);

        AssertAdmittedFrom(opening!.Value - Now, limits, "h3");
        Assert.False(Admit(limits, "h4"));
    }

    [Fact]
    public void A_start_counts_from_its_attempts_end_so_a_request_slow_to_arrive_delays_the_next_starts()
    {
        var limits = new FlowControl { Key = "k", Rate = 2, Period = 1 };
        Assert.True(Admit(limits, "a"));
        Assert.True(Admit(limits, "b"));
        var window = TimeSpan.FromSeconds(1) + KeyPermits.RateMargin;

        // Both were sent late (their silo paused after the grant) and answered 900 ms after it.
        _time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.True(_window.Release("a", Now));
        Assert.True(_window.Release("b", Now));
        Assert.Equal(Now + window, _window.NextOpening(limits));

        AssertAdmittedFrom(window, limits, "c");
    }

    [Fact]
    public void A_start_in_flight_stays_in_the_rate_window_however_long_its_attempt_takes()
    {
        var limits = new FlowControl { Key = "k", Rate = 1, Period = 1 };
        Assert.True(Admit(limits, "a", hold: TimeSpan.FromSeconds(30)));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(Admit(limits, "b"));
        Assert.Equal(Now + TimeSpan.FromSeconds(25), _window.NextOpening(limits));

        _window.Release("a", Now);
        AssertAdmittedFrom(TimeSpan.FromSeconds(1) + KeyPermits.RateMargin, limits, "b");
    }

    [Fact]
    public void A_start_whose_end_is_never_reported_leaves_the_rate_window_when_its_hold_runs_out()
    {
        var limits = new FlowControl { Key = "k", Rate = 1, Period = 1 };
        Assert.True(Admit(limits, "lost", hold: TimeSpan.FromSeconds(15)));
        AssertAdmittedFrom(TimeSpan.FromSeconds(15), limits, "next");
    }

    [Fact]
    public void Parallelism_admits_only_while_fewer_are_in_flight_and_a_release_makes_room()
    {
        var limits = new FlowControl { Key = "k", Parallelism = 2 };
        Assert.True(Admit(limits, "a"));
        Assert.True(Admit(limits, "b"));
        Assert.False(Admit(limits, "c"));
        Assert.Equal(2, _window.InFlight);

        Assert.True(_window.Release("a", Now));
        Assert.True(Admit(limits, "c"));
        Assert.False(_window.Release("a", Now));
    }

    [Fact]
    public void An_attempt_whose_end_is_never_reported_stops_counting_when_its_hold_runs_out()
    {
        var limits = new FlowControl { Key = "k", Parallelism = 1 };
        Assert.True(Admit(limits, "lost", hold: TimeSpan.FromSeconds(15)));
        Assert.Equal(Now + TimeSpan.FromSeconds(15), _window.NextOpening(limits));

        _time.Advance(TimeSpan.FromSeconds(14));
        Assert.False(Admit(limits, "next"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Admit(limits, "next"));
        Assert.False(_window.IsInFlight("lost"));
    }

    [Fact]
    public void Asking_again_while_in_flight_renews_the_hold()
    {
        var limits = new FlowControl { Key = "k", Parallelism = 1 };
        Assert.True(Admit(limits, "a", hold: TimeSpan.FromSeconds(10)));
        _time.Advance(TimeSpan.FromSeconds(9));
        _window.Renew("a", Now, TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(5));
        _window.Expire(limits, Now);

        Assert.True(_window.IsInFlight("a"));
    }

    [Fact]
    public void With_both_limits_full_only_time_and_a_release_together_open_them()
    {
        var limits = new FlowControl { Key = "k", Rate = 1, Period = 1, Parallelism = 1 };
        Assert.True(Admit(limits, "a", hold: TimeSpan.FromSeconds(30)));
        Assert.Equal(Now + TimeSpan.FromSeconds(30), _window.NextOpening(limits));

        _window.Release("a", Now);
        Assert.Equal(Now + TimeSpan.FromSeconds(1) + KeyPermits.RateMargin, _window.NextOpening(limits));
    }

    [Fact]
    public void Nothing_holds_a_start_back_when_neither_limit_is_reached()
    {
        var limits = new FlowControl { Key = "k", Rate = 5, Parallelism = 5 };
        Assert.True(Admit(limits, "a"));
        Assert.Null(_window.NextOpening(limits));
    }

    /// <summary>Refused a millisecond before <paramref name="after"/> from now, admitted at it.</summary>
    private void AssertAdmittedFrom(TimeSpan after, FlowControl limits, string holder)
    {
        _time.Advance(after - TimeSpan.FromMilliseconds(1));
        Assert.False(Admit(limits, holder));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(Admit(limits, holder));
    }

    private bool Admit(FlowControl limits, string holder, TimeSpan? hold = null)
    {
        _window.Expire(limits, Now);
        if (!_window.CanStart(limits))
        {
            return false;
        }

        _window.Start(holder, Now, hold ?? TimeSpan.FromSeconds(15));
        return true;
    }
}
