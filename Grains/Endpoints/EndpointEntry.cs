using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Endpoints;

/// <summary>
/// What one silo knows of one endpoint (see <see cref="EndpointGate"/>): the health grain's last answer,
/// and the failed attempts not reported yet. Attempts of many grains share it, so it locks.
/// </summary>
public sealed class EndpointEntry(IEndpointHealthGrain grain)
{
    private readonly Lock _lock = new();
    private Task<EndpointView>? _refreshing;
    private int _unreported;
    private DateTimeOffset _firstUnreportedAt;
    private DateTimeOffset _lastUnreportedAt;
    private bool _gone;
    private DateTimeOffset _failuresReportedAt;
    private DateTimeOffset _successReportedAt;

    public IEndpointHealthGrain Grain => grain;

    /// <summary>The grain's last answer; null until the first.</summary>
    public EndpointView? View { get; private set; }

    public DateTimeOffset CheckedAt { get; private set; }

    public void Apply(EndpointView view, DateTimeOffset now)
    {
        lock (_lock)
        {
            View = view;
            CheckedAt = now;
        }
    }

    /// <summary>Asks the grain again; concurrent askers share one call.</summary>
    public Task<EndpointView> RefreshAsync(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _refreshing ??= LoadAsync(now);
        }
    }

    /// <summary>Whether this success must be reported: the grain does not know the endpoint, counts it failing, or heard of no success for a while.</summary>
    public bool TakeSuccessReport(DateTimeOffset now, TimeSpan every)
    {
        lock (_lock)
        {
            if (View is { Known: true, Failing: false } && now - _successReportedAt < every)
            {
                return false;
            }

            _successReportedAt = now;
            return true;
        }
    }

    /// <summary>
    /// Counts a failed attempt; returns the failures to report when a report is due: a 410, the first
    /// failure the grain does not know of, every <paramref name="batch"/>-th, or none reported for <paramref name="every"/>.
    /// </summary>
    public EndpointFailures? AddFailure(DateTimeOffset at, bool gone, DateTimeOffset now, int batch, TimeSpan every)
    {
        lock (_lock)
        {
            if (_unreported == 0)
            {
                _firstUnreportedAt = at;
            }

            _unreported++;
            _lastUnreportedAt = at;
            _gone |= gone;
            if (!_gone && View is { Failing: true } && _unreported < batch && now - _failuresReportedAt < every)
            {
                return null;
            }

            var failures = new EndpointFailures(_unreported, _firstUnreportedAt, _lastUnreportedAt, _gone);
            _unreported = 0;
            _gone = false;
            _failuresReportedAt = now;
            return failures;
        }
    }

    private async Task<EndpointView> LoadAsync(DateTimeOffset now)
    {
        try
        {
            var view = await grain.Get();
            Apply(view, now);
            return view;
        }
        finally
        {
            lock (_lock)
            {
                _refreshing = null;
            }
        }
    }
}
