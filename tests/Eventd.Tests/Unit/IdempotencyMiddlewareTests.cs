using System.Text;
using System.Text.Json;
using Eventd.Gateway.Auth;
using Eventd.Gateway.Hosting;
using Eventd.Gateway.Http;
using Eventd.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The paths of the idempotency middleware a running gateway does not reach on demand: failures.</summary>
public sealed class IdempotencyMiddlewareTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private ConnectionMultiplexer? _connection;
    private int _endpointRuns;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        _connection?.Dispose();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Unreachable_redis_is_503_and_the_endpoint_does_not_run()
    {
        using var dead = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { $"127.0.0.1:{FreePort.Next()}" },
            AbortOnConnectFail = false,
            ConnectTimeout = 200,
            AsyncTimeout = 500,
            SyncTimeout = 500,
        });
        var context = Context("k1");

        await Middleware(Created, dead).InvokeAsync(context);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.StartsWith("Idempotency-Key:", Error(context));
        Assert.Equal(0, _endpointRuns);
    }

    [Fact]
    public async Task An_endpoint_that_throws_releases_the_key_for_a_retry()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Middleware(_ => throw new InvalidOperationException("boom"), _connection!).InvokeAsync(Context("k2")));
        var retry = Context("k2");

        await Middleware(Created, _connection!).InvokeAsync(retry);

        Assert.Equal(StatusCodes.Status201Created, retry.Response.StatusCode);
        Assert.Equal(1, _endpointRuns);
    }

    [Fact]
    public async Task A_5xx_is_passed_on_and_releases_the_key_for_a_retry()
    {
        var failed = Context("k3");
        await Middleware(ctx => { ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable; return Task.CompletedTask; }, _connection!).InvokeAsync(failed);
        var retry = Context("k3");

        await Middleware(Created, _connection!).InvokeAsync(retry);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, failed.Response.StatusCode);
        Assert.Equal(StatusCodes.Status201Created, retry.Response.StatusCode);
        Assert.Equal(1, _endpointRuns);
    }

    [Fact]
    public async Task The_project_of_the_callers_key_keeps_its_own_keys()
    {
        var inDefault = Context("shared");
        var inOther = Context("shared");
        new Caller("other", Caller.DefaultEnvironment, "other-key", false).AttachTo(inOther);

        await Middleware(Created, _connection!).InvokeAsync(inDefault);
        await Middleware(Created, _connection!).InvokeAsync(inOther);

        Assert.Equal(2, _endpointRuns);
        Assert.False(inOther.Response.Headers.ContainsKey(IdempotencyMiddleware.ReplayedHeader));
    }

    [Fact]
    public async Task A_project_named_by_the_route_keeps_its_own_keys()
    {
        var inOne = Context("shared-route", "/v1/api/one/eventing/queue");
        inOne.Request.RouteValues["project"] = "one";
        var inTwo = Context("shared-route", "/v1/api/two/eventing/queue");
        inTwo.Request.RouteValues["project"] = "two";

        await Middleware(Created, _connection!).InvokeAsync(inOne);
        await Middleware(Created, _connection!).InvokeAsync(inTwo);

        // One key namespace would refuse the second as a reuse of the key for another request (422).
        Assert.Equal(2, _endpointRuns);
        Assert.Equal(StatusCodes.Status201Created, inTwo.Response.StatusCode);
    }

    [Fact]
    public async Task Routes_without_the_marker_pass_through()
    {
        var context = Context("k4");
        context.SetEndpoint(new Endpoint(null, EndpointMetadataCollection.Empty, "cancel"));

        await Middleware(Created, _connection!).InvokeAsync(context);
        await Middleware(Created, _connection!).InvokeAsync(context);

        Assert.Equal(2, _endpointRuns);
    }

    private Task Created(HttpContext context)
    {
        _endpointRuns++;
        context.Response.StatusCode = StatusCodes.Status201Created;
        return context.Response.WriteAsync("""{"ok": true}""");
    }

    private static IdempotencyMiddleware Middleware(RequestDelegate endpoint, IConnectionMultiplexer redis) =>
        new(endpoint, redis, new ClusterIdentity(), Options.Create(new ApiOptions()), NullLogger<IdempotencyMiddleware>.Instance);

    private static DefaultHttpContext Context(string key, string path = "/eventd/v1/events")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = path;
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("""{"channel": "x"}"""));
        context.Request.Headers[IdempotencyMiddleware.KeyHeader] = key;
        context.Response.Body = new MemoryStream();
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(IdempotentCreate.Instance), "create"));
        return context;
    }

    private static string? Error(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return JsonDocument.Parse(context.Response.Body).RootElement.GetProperty("error").GetString();
    }
}
