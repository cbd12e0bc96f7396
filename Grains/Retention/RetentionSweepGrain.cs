using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Eventd.Grains.Retention;

/// <summary>
/// One shard's sweep (see <see cref="IRetentionSweepGrain"/>). Its reminder is the durable part: it brings
/// the sweep back after a restart or a failover; while active, a timer sweeps every
/// <see cref="RetentionOptions.SweepEvery"/>, a bounded number of batches a step, so the lists' totals
/// count an expired event that long at most under a steady load.
/// </summary>
public sealed partial class RetentionSweepGrain(
    ExpiringEvents events,
    ExpiringDeadLetters deadLetters,
    TimeProvider time,
    IOptions<RetentionOptions> retention,
    ILogger<RetentionSweepGrain> logger) : Grain, IRetentionSweepGrain, IRemindable
{
    private const string ReminderName = "sweep";

    /// <summary>Long enough to cost nothing; it only re-activates a sweep that lost its activation.</summary>
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    public const int Batch = 1000;

    /// <summary>Batches of each kind a step takes at most: a backlog is worked off over steps, never in one long turn.</summary>
    public const int BatchesPerStep = 10;

    private int Shard => (int)this.GetPrimaryKeyLong();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var every = retention.Value.SweepEvery;
        this.RegisterGrainTimer(static (grain, _) => grain.StepAsync(), this, new GrainTimerCreationOptions(every, every) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task Start() => this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private async Task StepAsync()
    {
        try
        {
            await SweepAsync(events.SweepAsync);
            await SweepAsync(deadLetters.SweepAsync);
        }
        catch (Exception ex)
        {
            // Nothing is lost: what was due stays due, and the next step takes it.
            LogSweepFailed(logger, ex, Shard);
        }
    }

    private async Task SweepAsync(Func<int, DateTimeOffset, int, Task<int>> sweep)
    {
        for (var batch = 0; batch < BatchesPerStep && await sweep(Shard, time.GetUtcNow(), Batch) == Batch; batch++)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep of shard {Shard} failed; it tries again at its next step")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, int shard);
}
