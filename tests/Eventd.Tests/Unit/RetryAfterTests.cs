using System.Net;
using System.Net.Http.Headers;
using Eventd.Grains.Delivery;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The wait a receiver asks for with <c>Retry-After</c>, honoured on 429 and 503 only.</summary>
public class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public void Seconds_header_on_429_and_503_is_the_wait(HttpStatusCode status)
    {
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.From(status, new RetryConditionHeaderValue(TimeSpan.FromSeconds(30)), Now));
    }

    [Fact]
    public void Http_date_header_is_the_wait_until_that_date()
    {
        var header = new RetryConditionHeaderValue(Now.AddMinutes(2));

        Assert.Equal(TimeSpan.FromMinutes(2), RetryAfter.From(HttpStatusCode.ServiceUnavailable, header, Now));
    }

    [Fact]
    public void Http_date_parsed_from_the_wire_is_the_wait_until_that_date()
    {
        var header = RetryConditionHeaderValue.Parse("Sun, 01 Mar 2026 12:01:30 GMT");

        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfter.From(HttpStatusCode.TooManyRequests, header, Now));
    }

    [Fact]
    public void Http_date_in_the_past_means_no_wait()
    {
        var header = new RetryConditionHeaderValue(Now.AddMinutes(-5));

        Assert.Equal(TimeSpan.Zero, RetryAfter.From(HttpStatusCode.TooManyRequests, header, Now));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.MovedPermanently)]
    public void Header_on_other_statuses_is_ignored(HttpStatusCode status)
    {
        Assert.Null(RetryAfter.From(status, new RetryConditionHeaderValue(TimeSpan.FromSeconds(30)), Now));
    }

    [Fact]
    public void Missing_header_means_no_requested_wait()
    {
        Assert.Null(RetryAfter.From(HttpStatusCode.TooManyRequests, null, Now));
    }
}
