using System.Collections.Concurrent;
using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Endpoints;

/// <summary>
/// Every webhook attempt passes here (API.md "Endpoint health"): one to a disabled endpoint is refused
/// without a request, the others are sent and their outcomes reported to the endpoint's health grain.
/// This is the fire hot path, so an attempt to a healthy endpoint makes no grain call: the silo keeps each
/// endpoint's last answer (<see cref="EndpointEntry"/>) and refreshes it in the background every
/// <see cref="RefreshAfter"/>, so a disable made on another silo holds here within that. A disabled answer
/// is asked again on every attempt, so an enable holds at once. Outcomes are reported only when they can
/// change something: a success the grain does not know of, a 410, the first failure, every
/// <see cref="FailuresPerReport"/>-th, and at least once per <see cref="ReportEvery"/>.
/// </summary>
public sealed partial class EndpointGate(WebhookSender sender, IGrainFactory grains, TimeProvider time, ILogger<EndpointGate> logger)
{
    public const string DisabledError = "endpoint disabled";

    public const int FailuresPerReport = 10;

    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan ReportEvery = TimeSpan.FromMinutes(1);

    private const int MaxRememberedUrls = 10_000;

    private readonly ConcurrentDictionary<string, EndpointEntry> _entries = new();

    private readonly ConcurrentDictionary<(string Project, string Url), EndpointEntry?> _byUrl = new();

    /// <summary>Whether an attempt is a refusal of a disabled endpoint: it ends the delivery, no retry can pass.</summary>
    public static bool IsRefusal(DeliveryAttempt attempt) => attempt.StatusCode is null && attempt.Error == DisabledError;

    public async Task<AttemptOutcome> SendAsync(WebhookRequest request, int attempt, CancellationToken cancellationToken)
    {
        if (EntryOf(request) is not { } entry)
        {
            // Not an http(s) URL: the sender's attempt fails and says why; there is no endpoint to count it against.
            return await sender.SendAsync(request, attempt, cancellationToken);
        }

        if (await IsDisabledAsync(entry))
        {
            return Refusal(request, attempt);
        }

        var outcome = await sender.SendAsync(request, attempt, cancellationToken);
        await ReportAsync(entry, outcome.Attempt);
        return outcome;
    }

    /// <summary>The endpoint of a request's URL: a lookup by (project, url), parsed once per URL (while few enough URLs to remember).</summary>
    private EndpointEntry? EntryOf(WebhookRequest request)
    {
        var target = (request.Project, request.Webhook.Url);
        if (_byUrl.TryGetValue(target, out var known))
        {
            return known;
        }

        var entry = EndpointOrigin.Of(target.Url) is { } origin
            ? _entries.GetOrAdd(
                EndpointOrigin.Key(target.Project, origin),
                static (key, factory) => new EndpointEntry(factory.GetGrain<IEndpointHealthGrain>(key)),
                grains)
            : null;
        if (_byUrl.Count >= MaxRememberedUrls)
        {
            // Distinct URLs without end (a query string per event): start over rather than grow.
            _byUrl.Clear();
        }

        _byUrl[target] = entry;
        return entry;
    }

    private async ValueTask<bool> IsDisabledAsync(EndpointEntry entry)
    {
        var now = time.GetUtcNow();
        if (entry.View is not { Disabled: false } known)
        {
            try
            {
                return (await entry.ReadAsync(now)).Disabled;
            }
            catch (Exception ex)
            {
                // The health grain is out of reach: send rather than refuse on a guess (at least once).
                LogUnreachable(logger, ex, entry.Grain.GetPrimaryKeyString());
                return false;
            }
        }

        if (now - entry.CheckedAt >= RefreshAfter && !entry.Reading)
        {
            // Off this grain's turn and its scheduler: the attempt does not wait for the answer.
            _ = Task.Run(() => QuietlyAsync(entry, async () => await entry.ReadAsync(now)));
        }

        return known.Disabled;
    }

    private async Task ReportAsync(EndpointEntry entry, DeliveryAttempt attempt)
    {
        var now = time.GetUtcNow();
        if (attempt.Succeeded)
        {
            if (entry.TakeSuccessReport(now, ReportEvery))
            {
                // A success changes nothing for this fire: the report does not hold the attempt up.
                _ = Task.Run(() => QuietlyAsync(entry, async () => entry.Apply(await entry.Grain.Succeeded(attempt.At), now), entry.SuccessReported));
            }
        }
        else if (entry.AddFailure(attempt.At, attempt.StatusCode == 410, now, FailuresPerReport, ReportEvery) is { } failures)
        {
            // Awaited: after a 410 this silo refuses the fire's own retries at once.
            await QuietlyAsync(entry, async () => entry.Apply(await entry.Grain.Failed(failures), now), entry.FailuresReported);
        }
    }

    /// <summary>Reads or reports; a failure is logged, never thrown: the attempt's own outcome stands, and the next report carries on.</summary>
    private async Task QuietlyAsync(EndpointEntry entry, Func<Task> call, Action? then = null)
    {
        try
        {
            await call();
        }
        catch (Exception ex)
        {
            LogUnreachable(logger, ex, entry.Grain.GetPrimaryKeyString());
        }
        finally
        {
            then?.Invoke();
        }
    }

    private AttemptOutcome Refusal(WebhookRequest request, int attempt) => new(
        new DeliveryAttempt { Seq = request.Seq, Attempt = attempt, At = time.GetUtcNow(), Error = DisabledError },
        RetryAfter: null);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Endpoint health {Endpoint} could not be read or reported")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string endpoint);
}
