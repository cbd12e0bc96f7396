using Eventd.Gateway.EventLog;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>What an emitted event keeps of its HTTP request: query and headers, never a secret.</summary>
public class EventLogEmittedRequestTests
{
    [Fact]
    public void Headers_are_kept_lower_cased_without_the_ones_that_carry_secrets()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Eventd-Secret"] = "k1";
        context.Request.Headers["X-Buildable-Secret"] = "k2";
        context.Request.Headers.Authorization = "Bearer k3";
        context.Request.Headers["Proxy-Authorization"] = "Basic k4";
        context.Request.Headers.Cookie = "session=k5";
        context.Request.Headers["X-Request-Source"] = "checkout";
        context.Request.Headers.Accept = new(["application/json", "text/plain"]);

        var headers = EmittedRequest.HeadersOf(context.Request);

        Assert.Equal(new Dictionary<string, string> { ["accept"] = "application/json,text/plain", ["x-request-source"] = "checkout" }, headers);
    }

    [Fact]
    public void The_query_string_is_kept_as_strings()
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?source=cli&n=1&tag=a&tag=b");

        Assert.Equal(new Dictionary<string, string> { ["n"] = "1", ["source"] = "cli", ["tag"] = "a,b" }, EmittedRequest.QueryOf(context.Request));
    }
}
