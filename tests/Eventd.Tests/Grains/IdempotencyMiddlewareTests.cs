using System.Text;
using System.Text.Json;
using Eventd.Gateway.Auth;
using Eventd.Gateway.Hosting;
using Eventd.Gateway.Http;
using Eventd.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Eventd.Tests.Grains;

/// <summary>
/// The idempotency middleware over the real key grains of the test cluster: the paths a running gateway
/// does not reach on demand (failures, a first attempt that never answered), and idempotency by identity.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class IdempotencyMiddlewareTests(ClusterFixture fixture)
{
    private int _endpointRuns;
    private readonly List<string> _createdIds = [];

    private IdempotencyKeys Keys => new(() => fixture.Cluster.Client);

    private static string NewKey() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task An_unreachable_cluster_is_503_and_the_endpoint_does_not_run()
    {
        var context = Context(NewKey());

        await Middleware(Created, new IdempotencyKeys(() => throw new ClusterUnavailableException())).InvokeAsync(context);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.StartsWith("Idempotency-Key:", Error(context));
        Assert.Equal(0, _endpointRuns);
    }

    [Fact]
    public async Task A_repeat_is_answered_with_the_first_response_without_running_the_endpoint()
    {
        var key = NewKey();
        var first = Context(key);
        var repeat = Context(key);

        await Middleware(Created).InvokeAsync(first);
        await Middleware(Created).InvokeAsync(repeat);

        Assert.Equal(1, _endpointRuns);
        Assert.Equal(StatusCodes.Status201Created, repeat.Response.StatusCode);
        Assert.Equal("true", repeat.Response.Headers[IdempotencyMiddleware.ReplayedHeader].ToString());
        Assert.Equal(Body(first), Body(repeat));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422()
    {
        var key = NewKey();
        await Middleware(Created).InvokeAsync(Context(key));
        var other = Context(key, body: """{"channel": "y"}""");

        await Middleware(Created).InvokeAsync(other);

        Assert.Equal(StatusCodes.Status422UnprocessableEntity, other.Response.StatusCode);
        Assert.Equal(1, _endpointRuns);
    }

    [Fact]
    public async Task An_endpoint_that_throws_releases_the_key_for_a_retry()
    {
        var key = NewKey();
        await Assert.ThrowsAsync<InvalidOperationException>(() => Middleware(_ => throw new InvalidOperationException("boom")).InvokeAsync(Context(key)));
        var retry = Context(key);

        await Middleware(Created).InvokeAsync(retry);

        Assert.Equal(StatusCodes.Status201Created, retry.Response.StatusCode);
        Assert.Equal(1, _endpointRuns);
    }

    [Fact]
    public async Task A_5xx_is_passed_on_and_releases_the_key_for_a_retry()
    {
        var key = NewKey();
        var failed = Context(key);
        await Middleware(ctx => { ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable; return Task.CompletedTask; }).InvokeAsync(failed);
        var retry = Context(key);

        await Middleware(Created).InvokeAsync(retry);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, failed.Response.StatusCode);
        Assert.Equal(StatusCodes.Status201Created, retry.Response.StatusCode);
        Assert.Equal(1, _endpointRuns);
    }

    [Fact]
    public async Task The_project_of_the_callers_key_keeps_its_own_keys()
    {
        var key = NewKey();
        var inDefault = Context(key);
        var inOther = Context(key);
        new Caller("other", Caller.DefaultEnvironment, "other-key", false).AttachTo(inOther);

        await Middleware(Created).InvokeAsync(inDefault);
        await Middleware(Created).InvokeAsync(inOther);

        Assert.Equal(2, _endpointRuns);
        Assert.False(inOther.Response.Headers.ContainsKey(IdempotencyMiddleware.ReplayedHeader));
    }

    [Fact]
    public async Task A_project_named_by_the_route_keeps_its_own_keys()
    {
        var key = NewKey();
        var inOne = Context(key, "/v1/api/one/eventing/queue");
        inOne.Request.RouteValues["project"] = "one";
        var inTwo = Context(key, "/v1/api/two/eventing/queue");
        inTwo.Request.RouteValues["project"] = "two";

        await Middleware(Created).InvokeAsync(inOne);
        await Middleware(Created).InvokeAsync(inTwo);

        // One key namespace would refuse the second as a reuse of the key for another request (422).
        Assert.Equal(2, _endpointRuns);
        Assert.Equal(StatusCodes.Status201Created, inTwo.Response.StatusCode);
    }

    [Fact]
    public async Task Routes_without_the_marker_pass_through()
    {
        var context = Context(NewKey());
        context.SetEndpoint(new Endpoint(null, EndpointMetadataCollection.Empty, "cancel"));

        await Middleware(Created).InvokeAsync(context);
        await Middleware(Created).InvokeAsync(context);

        Assert.Equal(2, _endpointRuns);
    }

    [Fact]
    public async Task A_route_creating_by_identity_gets_the_id_derived_from_project_and_key()
    {
        var key = NewKey();

        await Middleware(Created).InvokeAsync(Context(key, identity: true));
        await Middleware(Created).InvokeAsync(Context(NewKey(), identity: true));
        await Middleware(Created).InvokeAsync(Context(NewKey(), identity: false));

        Assert.Equal(IdempotentIdentity.Derive(Caller.DefaultProject, key), _createdIds[0]);
        Assert.Matches("^[0-9a-f]{32}$", _createdIds[0]);
        Assert.NotEqual(_createdIds[0], _createdIds[1]);
        Assert.NotEqual(IdempotentIdentity.Derive(Caller.DefaultProject, key), _createdIds[2]);
    }

    [Fact]
    public async Task A_repeat_of_a_request_that_never_answered_runs_again_onto_the_same_id_within_seconds()
    {
        var key = NewKey();

        // The first attempt claims the key and never answers, as when its gateway is killed mid-request.
        var hung = new TaskCompletionSource();
        var first = Middleware(ctx => { Record(ctx); return hung.Task; }).InvokeAsync(Context(key, identity: true));
        await Poll.UntilAsync(() => _endpointRuns == 1, TimeSpan.FromSeconds(10), "the first attempt to run");
        var repeat = Context(key, identity: true);
        var started = DateTimeOffset.UtcNow;

        await Middleware(Created).InvokeAsync(repeat);

        var waited = DateTimeOffset.UtcNow - started;
        Assert.Equal(StatusCodes.Status201Created, repeat.Response.StatusCode);
        Assert.Equal(2, _endpointRuns);
        Assert.Equal(_createdIds[0], _createdIds[1]);
        Assert.True(waited >= IdempotencyMiddleware.IdentityTakeOver - TimeSpan.FromSeconds(1), $"ran again after {waited.TotalSeconds:F1} s, before the first attempt had its chance");
        Assert.True(waited < TimeSpan.FromSeconds(15), $"answered after {waited.TotalSeconds:F1} s");
        hung.SetResult();
        await first;
    }

    [Fact]
    public async Task A_repeat_of_a_request_still_running_on_a_route_without_identity_is_409()
    {
        var key = NewKey();
        var hung = new TaskCompletionSource();
        var first = Middleware(ctx => { Record(ctx); return hung.Task; }).InvokeAsync(Context(key));
        await Poll.UntilAsync(() => _endpointRuns == 1, TimeSpan.FromSeconds(10), "the first attempt to run");
        var repeat = Context(key);

        await Middleware(Created).InvokeAsync(repeat);

        Assert.Equal(StatusCodes.Status409Conflict, repeat.Response.StatusCode);
        Assert.Equal(1, _endpointRuns);
        hung.SetResult();
        await first;
    }

    private Task Created(HttpContext context)
    {
        var id = Record(context);
        context.Response.StatusCode = StatusCodes.Status201Created;
        return context.Response.WriteAsync($$"""{"id": "{{id}}"}""");
    }

    private string Record(HttpContext context)
    {
        var id = IdempotentIdentity.IdFor(context);
        lock (_createdIds)
        {
            _createdIds.Add(id);
            _endpointRuns++;
        }

        return id;
    }

    private IdempotencyMiddleware Middleware(RequestDelegate endpoint, IdempotencyKeys? keys = null) =>
        new(endpoint, keys ?? Keys, Options.Create(new ApiOptions()), NullLogger<IdempotencyMiddleware>.Instance);

    private static DefaultHttpContext Context(string key, string path = "/eventd/v1/events", bool identity = false, string body = """{"channel": "x"}""")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = path;
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.Headers[IdempotencyMiddleware.KeyHeader] = key;
        context.Response.Body = new MemoryStream();
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(identity ? IdempotentCreate.ByIdentity : IdempotentCreate.Instance), "create"));
        return context;
    }

    private static string Body(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return new StreamReader(context.Response.Body).ReadToEnd();
    }

    private static string? Error(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return JsonDocument.Parse(context.Response.Body).RootElement.GetProperty("error").GetString();
    }
}
