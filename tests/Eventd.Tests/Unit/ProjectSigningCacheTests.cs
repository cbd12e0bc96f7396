using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Eventd.Grains.Signing;
using Eventd.TestSupport;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Eventd.Tests.Unit;

/// <summary>A silo asks a project's secrets grain at most once per <see cref="ProjectSigning.CacheFor"/>, and never signs past an overlap.</summary>
public sealed class ProjectSigningCacheTests : IDisposable
{
    private const string Configured = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Own = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ConfiguredSigning _configured = new(Options.Create(new DeliveryOptions { SigningSecret = Configured }));
    private readonly List<string> _asked = [];
    private ProjectSigning _answer = ProjectSigning.Configured;

    private ProjectSigningCache Cache() => new(_configured, project =>
    {
        _asked.Add(project);
        return Task.FromResult(_answer);
    }, _time);

    private bool Verifies(string secret, string? signature) =>
        WebhookVerifier.VerifiesWithSecret(secret, "e.1", _time.GetUtcNow().ToUnixTimeSeconds().ToString(), signature, "{}");

    private async Task<string?> SignAsync(ProjectSigningCache cache, string project = "shop") =>
        (await cache.ForAsync(project)).Sign("e.1", _time.GetUtcNow().ToUnixTimeSeconds(), "{}");

    [Fact]
    public async Task A_project_that_never_rotated_signs_with_the_configured_secrets()
    {
        var signature = await SignAsync(Cache());

        Assert.True(Verifies(Configured, signature));
    }

    [Fact]
    public async Task The_grain_is_asked_once_per_cache_period_and_per_project()
    {
        var cache = Cache();

        await SignAsync(cache);
        await SignAsync(cache);
        await SignAsync(cache, "other");
        _time.Advance(ProjectSigning.CacheFor - TimeSpan.FromMilliseconds(1));
        await SignAsync(cache);
        Assert.Equal(["shop", "other"], _asked);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await SignAsync(cache);
        Assert.Equal(["shop", "other", "shop"], _asked);
    }

    [Fact]
    public async Task A_rotation_signs_with_both_secrets_until_the_overlap_ends_then_with_the_new_only()
    {
        var cache = Cache();
        var overlapEnd = _time.GetUtcNow() + TimeSpan.FromSeconds(2);
        _answer = new ProjectSigning([Own], true, overlapEnd);

        var during = await SignAsync(cache);
        Assert.True(Verifies(Own, during));
        Assert.True(Verifies(Configured, during));

        // The overlap ends before the cache period: the silo asks again at once.
        _answer = new ProjectSigning([Own], false, null);
        _time.Advance(TimeSpan.FromSeconds(2));
        var after = await SignAsync(cache);
        Assert.True(Verifies(Own, after));
        Assert.False(Verifies(Configured, after));
        Assert.Equal(2, _asked.Count);
    }

    [Fact]
    public async Task A_failing_ask_is_retried_so_a_silo_that_just_died_costs_a_wait_not_an_attempt()
    {
        var failures = 3;
        var cache = new ProjectSigningCache(_configured, project =>
        {
            _asked.Add(project);
            return failures-- > 0 ? Task.FromException<ProjectSigning>(new TimeoutException("silo died")) : Task.FromResult(ProjectSigning.Configured);
        }, _time);

        var signing = cache.ForAsync("shop").AsTask();
        await AdvanceUntilAsync(signing);

        Assert.True(Verifies(Configured, (await signing).Sign("e.1", _time.GetUtcNow().ToUnixTimeSeconds(), "{}")));
        Assert.Equal(4, _asked.Count);
    }

    [Fact]
    public async Task An_ask_failing_for_longer_than_AskFor_fails_the_attempt_and_is_asked_again_next_time()
    {
        var fail = true;
        var started = _time.GetUtcNow();
        var cache = new ProjectSigningCache(_configured, _ => fail ? Task.FromException<ProjectSigning>(new TimeoutException("silo busy")) : Task.FromResult(ProjectSigning.Configured), _time);

        var signing = cache.ForAsync("shop").AsTask();
        await AdvanceUntilAsync(signing);
        await Assert.ThrowsAsync<TimeoutException>(() => signing);
        Assert.True(_time.GetUtcNow() - started >= ProjectSigningCache.AskFor - TimeSpan.FromSeconds(2));
        fail = false;

        Assert.True(Verifies(Configured, await SignAsync(cache)));
    }

    /// <summary>Moves the fake clock on through the retries' waits until <paramref name="task"/> ends.</summary>
    private async Task AdvanceUntilAsync(Task task)
    {
        for (var step = 0; step < 1000 && !task.IsCompleted; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1);
        }
    }

    public void Dispose() => _configured.Dispose();
}
