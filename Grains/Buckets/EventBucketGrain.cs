using Eventd.Grains.Events;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Buckets;

/// <summary>
/// One time bucket. Its reminder (the durable part) wakes it shortly before its minute and every
/// reminder period after, so after a crash or failover another silo takes it up; while awake, a
/// grain timer scans its sorted set and wakes each event a few seconds before it is due, and each
/// event arms its own precise timer. Members still present after their wake-up time are woken
/// again (not too often: see <see cref="RecentWakes"/>), so an event whose activation died with its
/// silo is fired late, never lost.
/// </summary>
public sealed partial class EventBucketGrain(
    BucketStore store,
    IClusterMembershipService membership,
    TimeProvider time,
    ILogger<EventBucketGrain> logger) : Grain, IEventBucketGrain, IRemindable
{
    private const string ReminderName = "wake";

    private BucketId _bucket;
    private IGrainReminder? _reminder;
    private IGrainTimer? _scan;

    /// <summary>Members due up to here (ms) have been woken; a new activation starts from the beginning.</summary>
    private double _cursorMs = double.NegativeInfinity;

    private DateTimeOffset _nextSweep;

    private readonly RecentWakes _recent = new();

    private DateTimeOffset Now => time.GetUtcNow();
    private DateTimeOffset WakeAt => _bucket.Start - BucketTiming.WakeLead;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _bucket = BucketId.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task Arm()
    {
        if (_reminder is null)
        {
            var dueTime = FireTiming.Positive(WakeAt - Now);
            _reminder = await this.RegisterOrUpdateReminder(ReminderName, dueTime, BucketTiming.ReminderPeriod);
        }

        ScanOrRelease();
    }

    public async Task Resume()
    {
        if (_scan is not null)
        {
            // Awake: the members it woke may have armed their timers on the silo that was lost.
            _cursorMs = double.NegativeInfinity;
            await ScanAsync();
            return;
        }

        if (Now < WakeAt || await store.CountAsync(_bucket) == 0)
        {
            // Nothing woken yet, or nothing to wake: the reminder (if any) takes it up when due.
            DeactivateOnIdle();
            return;
        }

        await Arm();
    }

    /// <summary>
    /// A silo that stops gracefully deactivates every activation, its buckets' scans with them; the
    /// reminder would take a bucket up on another silo only at its next tick, seconds later.
    /// </summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (reason.ReasonCode == DeactivationReasonCode.ShuttingDown && _scan is not null)
        {
            // One-way, to itself: forwarded, once this activation is gone, to a silo that stays.
            _ = GrainFactory.GetGrain<IEventBucketGrain>(this.GetPrimaryKeyString()).Resume();
        }

        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ScanOrRelease();
        return Task.CompletedTask;
    }

    /// <summary>Scans from its wake-up time on; before it, a bucket needs no activation.</summary>
    private void ScanOrRelease()
    {
        if (Now < WakeAt)
        {
            DeactivateOnIdle();
            return;
        }

        _scan ??= this.RegisterGrainTimer(
            static (grain, _) => grain.ScanAsync(),
            this,
            new GrainTimerCreationOptions(TimeSpan.Zero, BucketTiming.ScanInterval) { KeepAlive = true });
    }

    private async Task ScanAsync()
    {
        try
        {
            var now = Now;
            var horizonMs = (now + BucketTiming.PokeLead).ToUnixTimeMilliseconds();
            var due = await store.RangeAsync(_bucket, _cursorMs, horizonMs, take: BucketTiming.MaxWakesPerScan);

            // A full page resumes after its last member next tick; members sharing that last
            // score and left out are overdue by then, and the sweep wakes them.
            _cursorMs = due.Length == BucketTiming.MaxWakesPerScan ? due[^1].WakeAtMs : horizonMs;
            Wake(due, now);

            if (now >= _nextSweep)
            {
                _nextSweep = now + BucketTiming.SweepInterval;
                await SweepAsync(now);
            }
        }
        catch (Exception ex)
        {
            // The next tick tries again; a member missed by the cursor is caught by the sweep.
            LogScanFailed(logger, ex, _bucket);
        }
    }

    /// <summary>Wakes members left behind after their wake-up time; retires the bucket once it is empty and over.</summary>
    private async Task SweepAsync(DateTimeOffset now)
    {
        var overdueMs = (now - BucketTiming.OverdueGrace).ToUnixTimeMilliseconds();
        var overdue = await store.RangeAsync(_bucket, double.NegativeInfinity, overdueMs, take: BucketTiming.MaxWakesPerScan);
        _recent.Follow(membership.CurrentSnapshot.Version.Value);
        _recent.Prune(now);
        Wake(overdue.Where(member => _recent.MayWakeAgain(member.EventId, now)).ToArray(), now);
        if (overdue.Length == 0 && BucketTiming.CanRetire(_bucket, now) && await store.CountAsync(_bucket) == 0)
        {
            await RetireAsync();
        }
    }

    private void Wake((string EventId, double WakeAtMs)[] members, DateTimeOffset now)
    {
        var bucket = _bucket.ToString();
        foreach (var (eventId, _) in members)
        {
            // One-way: a wake that is lost is repeated by the sweep.
            GrainFactory.GetGrain<IScheduledEventGrain>(eventId).Wake(bucket);
            _recent.Woke(eventId, now);
        }
    }

    private async Task RetireAsync()
    {
        _reminder ??= await this.GetReminder(ReminderName);
        if (_reminder is not null)
        {
            await this.UnregisterReminder(_reminder);
            _reminder = null;
        }

        _scan?.Dispose();
        _scan = null;
        LogRetired(logger, _bucket);
        DeactivateOnIdle();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bucket {Bucket} could not scan its members; the next tick retries")]
    private static partial void LogScanFailed(ILogger logger, Exception exception, BucketId bucket);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bucket {Bucket} is empty and over: reminder removed")]
    private static partial void LogRetired(ILogger logger, BucketId bucket);
}
