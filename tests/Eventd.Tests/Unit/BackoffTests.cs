using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces.Options;

namespace Eventd.Tests.Unit;

public sealed class BackoffTests
{
    private static readonly DeliveryOptions Options = new() { BackoffBaseMs = 1000, BackoffMaxMs = 60_000 };

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(3, 4000)]
    [InlineData(6, 32_000)]
    [InlineData(7, 60_000)]
    [InlineData(500, 60_000)]
    public void Backoff_doubles_per_failed_attempt_up_to_the_cap(int failed, double fullMs)
    {
        Assert.Equal(fullMs / 2, RetrySchedule.Backoff(failed, Options, jitter: 0).TotalMilliseconds, precision: 3);
        Assert.Equal(fullMs * 0.75, RetrySchedule.Backoff(failed, Options, jitter: 0.5).TotalMilliseconds, precision: 3);
        Assert.True(RetrySchedule.Backoff(failed, Options, jitter: 0.999999).TotalMilliseconds <= fullMs);
    }

    [Fact]
    public void A_resumed_delivery_keeps_growing_its_waits()
    {
        // The third failure waits as a third failure whether or not the process restarted in between.
        Assert.True(RetrySchedule.Backoff(3, Options, 0) > RetrySchedule.Backoff(1, Options, 0.999));
    }
}
