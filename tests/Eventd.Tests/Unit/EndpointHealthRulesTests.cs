using Eventd.Grains.Endpoints;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Time.Testing;

namespace Eventd.Tests.Unit;

/// <summary>API.md "Endpoint health": when an endpoint is disabled, time driven by a fake clock.</summary>
public sealed class EndpointHealthRulesTests
{
    private static readonly TimeSpan DisableAfter = TimeSpan.FromDays(5);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private void Fail(EndpointHealthState s, int count = 1, bool gone = false)
    {
        var now = _time.GetUtcNow();
        EndpointHealthRules.Failed(s, new EndpointFailures(count, now, now, gone), DisableAfter);
    }

    [Fact]
    public void Ten_failures_spread_over_disable_after_with_no_success_disable_the_endpoint()
    {
        var s = new EndpointHealthState();
        var start = _time.GetUtcNow();
        for (var i = 0; i < 10; i++)
        {
            Assert.False(s.Disabled, $"disabled after {i} failures");
            Fail(s);
            _time.Advance(DisableAfter / 9);
        }

        Assert.True(s.Disabled);
        Assert.Equal(start, s.FailingSince);
        Assert.Equal(10, s.Failures);
        Assert.StartsWith("every attempt failed for 5.00:00:00", s.Reason, StringComparison.Ordinal);
        Assert.NotNull(s.DisabledAt);
    }

    [Fact]
    public void Failing_past_disable_after_with_fewer_than_ten_failures_keeps_it_enabled()
    {
        var s = new EndpointHealthState();
        Fail(s, count: 8);
        _time.Advance(DisableAfter * 2);
        Fail(s);

        Assert.False(s.Disabled);
        Assert.Equal(9, s.Failures);
    }

    [Fact]
    public void Many_failures_in_less_than_disable_after_keep_it_enabled()
    {
        var s = new EndpointHealthState();
        Fail(s, count: 500);
        _time.Advance(DisableAfter - TimeSpan.FromSeconds(1));
        Fail(s);

        Assert.False(s.Disabled);
    }

    [Fact]
    public void A_success_resets_the_failing_streak()
    {
        var s = new EndpointHealthState();
        Fail(s, count: 9);
        _time.Advance(DisableAfter / 2);
        EndpointHealthRules.Succeeded(s, _time.GetUtcNow());
        Assert.Null(s.FailingSince);
        Assert.Equal(0, s.Failures);

        _time.Advance(DisableAfter / 2 + TimeSpan.FromHours(1));
        Fail(s, count: 5);
        _time.Advance(TimeSpan.FromHours(1));
        Fail(s, count: 5);

        Assert.False(s.Disabled);
        Assert.Equal(10, s.Failures);
        Assert.NotNull(s.LastSuccessAt);
    }

    [Fact]
    public void A_410_disables_at_once()
    {
        var s = new EndpointHealthState();
        Fail(s, gone: true);

        Assert.True(s.Disabled);
        Assert.Equal(EndpointHealthRules.GoneReason, s.Reason);
        Assert.Equal(_time.GetUtcNow(), s.DisabledAt);
    }

    [Fact]
    public void A_success_does_not_enable_a_disabled_endpoint_and_enable_clears_everything()
    {
        var s = new EndpointHealthState();
        Fail(s, gone: true);
        EndpointHealthRules.Succeeded(s, _time.GetUtcNow());
        Assert.True(s.Disabled);

        EndpointHealthRules.Enable(s);

        Assert.False(s.Disabled);
        Assert.Null(s.Reason);
        Assert.Null(s.DisabledAt);
        Assert.Null(s.FailingSince);
        Assert.Equal(0, s.Failures);
    }

    [Theory]
    [InlineData("https://Api.Example.com/hooks/a?x=1", "https://api.example.com:443")]
    [InlineData("http://127.0.0.1:9999/hook", "http://127.0.0.1:9999")]
    [InlineData("http://example.com", "http://example.com:80")]
    [InlineData("https://example.com:8443", "https://example.com:8443")]
    public void An_origin_is_scheme_host_and_port(string url, string origin) => Assert.Equal(origin, EndpointOrigin.Of(url));

    [Theory]
    [InlineData("")]
    [InlineData("example.com")]
    [InlineData("ftp://example.com/x")]
    [InlineData("/relative")]
    public void Anything_but_an_absolute_http_url_has_no_origin(string url) => Assert.Null(EndpointOrigin.Of(url));
}
