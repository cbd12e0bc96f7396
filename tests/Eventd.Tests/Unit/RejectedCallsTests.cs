using System.Reflection;
using Eventd.Gateway.Hosting;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>A grain call a silo rejected (before running it) is sent again, a few times at most.</summary>
public class RejectedCallsTests
{
    // Orleans makes these itself only: its constructors are internal.
    private static OrleansMessageRejectionException Rejection() =>
        (OrleansMessageRejectionException)Activator.CreateInstance(
            typeof(OrleansMessageRejectionException), BindingFlags.NonPublic | BindingFlags.Instance, null, ["Forwarding failed"], null)!;

    private static Orleans.Runtime.Messaging.ConnectionFailedException ConnectionFailed() =>
        (Orleans.Runtime.Messaging.ConnectionFailedException)Activator.CreateInstance(
            typeof(Orleans.Runtime.Messaging.ConnectionFailedException), BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, null, ["Unable to connect"], null)!;

    [Fact]
    public async Task A_call_rejected_twice_is_answered_by_its_third_attempt()
    {
        var calls = 0;

        var answer = await RejectedCalls.RetryAsync(() => ++calls < 3 ? throw Rejection() : Task.FromResult("ok"));

        Assert.Equal(("ok", 3), (answer, calls));
    }

    [Fact]
    public async Task A_call_rejected_every_time_fails_after_the_last_attempt()
    {
        var calls = 0;

        await Assert.ThrowsAsync<OrleansMessageRejectionException>(() => RejectedCalls.RetryAsync<string>(() => { calls++; throw Rejection(); }));

        Assert.Equal(RejectedCalls.MaxAttempts, calls);
    }

    [Fact]
    public async Task A_call_whose_gateway_connection_failed_is_sent_again()
    {
        var calls = 0;

        var answer = await RejectedCalls.RetryAsync(() => ++calls < 2 ? throw ConnectionFailed() : Task.FromResult("ok"));

        Assert.Equal(("ok", 2), (answer, calls));
    }

    [Fact]
    public async Task Other_failures_are_not_retried()
    {
        var calls = 0;

        await Assert.ThrowsAsync<TimeoutException>(() => RejectedCalls.RetryAsync<string>(() => { calls++; throw new TimeoutException(); }));

        Assert.Equal(1, calls);
    }
}
