using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>Success of a webhook attempt is a 2xx status and nothing else (API.md section 2).</summary>
public class DeliveryAttemptTests
{
    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(204)]
    [InlineData(299)]
    public void Two_hundreds_are_success(int status)
    {
        var attempt = new DeliveryAttempt { StatusCode = status };

        Assert.True(attempt.Succeeded);
        Assert.True(new AttemptOutcome(attempt, null).Succeeded);
    }

    [Theory]
    [InlineData(199)]
    [InlineData(300)]
    [InlineData(302)]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(null)]
    public void Anything_else_is_a_failed_attempt(int? status)
    {
        var attempt = new DeliveryAttempt { StatusCode = status };

        Assert.False(attempt.Succeeded);
        Assert.False(new AttemptOutcome(attempt, null).Succeeded);
    }
}
