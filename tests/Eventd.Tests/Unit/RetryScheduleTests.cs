using System.Collections.Concurrent;
using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Eventd.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The retry policy of a webhook, driven on a fake clock: budget, success, backoff cap, Retry-After.</summary>
public class RetryScheduleTests
{
    private static readonly DateTimeOffset Began = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Failing_attempts_are_retried_until_the_budget_is_spent()
    {
        var (time, receiver) = Setup((500, null));

        var outcome = await RunAsync(RetrySchedule.Pipeline(3, new DeliveryOptions(), time), time, receiver);

        Assert.Equal(4, receiver.Calls.Count);
        Assert.Equal(3, time.Waits.Count);
        Assert.False(outcome.Succeeded);
        Assert.Equal(4, outcome.Attempt.Attempt);
        Assert.Equal(500, outcome.Attempt.StatusCode);
    }

    [Fact]
    public async Task Retrying_stops_at_the_first_success()
    {
        var (time, receiver) = Setup((500, null), (null, null), (201, null), (500, null));

        var outcome = await RunAsync(RetrySchedule.Pipeline(5, new DeliveryOptions(), time), time, receiver);

        Assert.Equal(3, receiver.Calls.Count);
        Assert.True(outcome.Succeeded);
        Assert.Equal(3, outcome.Attempt.Attempt);
        Assert.Equal(201, outcome.Attempt.StatusCode);
    }

    [Fact]
    public async Task First_success_is_not_retried()
    {
        var (time, receiver) = Setup((204, null));

        var outcome = await RunAsync(RetrySchedule.Pipeline(3, new DeliveryOptions(), time), time, receiver);

        Assert.Single(receiver.Calls);
        Assert.Empty(time.Waits);
        Assert.True(outcome.Succeeded);
    }

    [Fact]
    public async Task Zero_retries_make_a_single_attempt()
    {
        var (time, receiver) = Setup((503, null), (200, null));

        var outcome = await RunAsync(RetrySchedule.Pipeline(0, new DeliveryOptions(), time), time, receiver);

        Assert.Single(receiver.Calls);
        Assert.False(outcome.Succeeded);
        Assert.Equal(503, outcome.Attempt.StatusCode);
    }

    [Fact]
    public async Task Retry_after_sets_the_wait_before_the_next_attempt()
    {
        var (time, receiver) = Setup((429, TimeSpan.FromSeconds(7)), (200, null));

        var outcome = await RunAsync(RetrySchedule.Pipeline(3, new DeliveryOptions(), time), time, receiver);

        Assert.True(outcome.Succeeded);
        Assert.Equal([TimeSpan.FromSeconds(7)], time.Waits);
        Assert.Equal([Began, Began.AddSeconds(7)], receiver.Calls);
    }

    [Fact]
    public async Task Retry_after_longer_than_the_cap_waits_only_the_cap()
    {
        var (time, receiver) = Setup((503, TimeSpan.FromHours(2)), (200, null));
        var options = new DeliveryOptions { BackoffMaxMs = 10_000 };

        var outcome = await RunAsync(RetrySchedule.Pipeline(3, options, time), time, receiver);

        Assert.True(outcome.Succeeded);
        Assert.Equal([TimeSpan.FromSeconds(10)], time.Waits);
        Assert.Equal([Began, Began.AddSeconds(10)], receiver.Calls);
    }

    [Fact]
    public void The_wait_after_a_failure_is_the_receivers_retry_after_capped_else_the_backoff()
    {
        var options = new DeliveryOptions { BackoffBaseMs = 1000, BackoffMaxMs = 10_000 };

        Assert.Equal(TimeSpan.FromSeconds(7), RetrySchedule.WaitAfter(1, TimeSpan.FromSeconds(7), options, jitter: 0.5));
        Assert.Equal(TimeSpan.FromSeconds(10), RetrySchedule.WaitAfter(1, TimeSpan.FromMinutes(5), options, jitter: 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), RetrySchedule.WaitAfter(2, retryAfter: null, options, jitter: 0.5));
    }

    [Fact]
    public async Task Backoff_without_retry_after_never_exceeds_the_cap()
    {
        var (time, receiver) = Setup((500, null));
        var options = new DeliveryOptions { BackoffBaseMs = 1000, BackoffMaxMs = 3000 };

        await RunAsync(RetrySchedule.Pipeline(8, options, time), time, receiver);

        Assert.Equal(9, receiver.Calls.Count);
        Assert.Equal(8, time.Waits.Count);
        Assert.All(time.Waits, wait => Assert.InRange(wait, TimeSpan.Zero, TimeSpan.FromSeconds(3)));
        Assert.Equal(Began + time.Waits.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait), receiver.Calls[^1]);
    }

    [Fact]
    public async Task The_backoff_counts_attempts_that_failed_before_the_pipeline_ran_and_each_wait_is_reported()
    {
        var (time, receiver) = Setup((500, null));
        var options = new DeliveryOptions { BackoffBaseMs = 100, BackoffMaxMs = 100_000 };
        var reported = new ConcurrentQueue<TimeSpan>();
        var context = ResilienceContextPool.Shared.Get();
        context.Properties.Set(RetrySchedule.FailedBefore, 4);
        context.Properties.Set(RetrySchedule.OnRetryScheduled, reported.Enqueue);

        await RunAsync(RetrySchedule.Pipeline(2, options, time), time, receiver, context);

        // The fifth and sixth failures of the delivery: 1.6 s and 3.2 s before jitter, not 0.1 s and 0.2 s.
        Assert.Equal(2, time.Waits.Count);
        Assert.InRange(time.Waits[0], TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(1600));
        Assert.InRange(time.Waits[1], TimeSpan.FromMilliseconds(1600), TimeSpan.FromMilliseconds(3200));
        // Reported as generated; the timer started for it is whole milliseconds.
        Assert.Equal(time.Waits.Select(w => w.TotalMilliseconds), reported.Select(w => Math.Floor(w.TotalMilliseconds)));
        ResilienceContextPool.Shared.Return(context);
    }

    private static (RecordingTime Time, Receiver Receiver) Setup(params (int? Status, TimeSpan? RetryAfter)[] answers)
    {
        var time = new RecordingTime();
        return (time, new Receiver(time, answers));
    }

    /// <summary>Runs the pipeline, moving the fake clock past each wait the pipeline starts, and nothing more.</summary>
    private static async Task<AttemptOutcome> RunAsync(ResiliencePipeline<AttemptOutcome> pipeline, RecordingTime time, Receiver receiver, ResilienceContext? context = null)
    {
        var run = context is null
            ? pipeline.ExecuteAsync(_ => receiver.AttemptAsync(), CancellationToken.None).AsTask()
            : pipeline.ExecuteAsync(static (_, r) => r.AttemptAsync(), context, receiver).AsTask();
        var advanced = 0;
        while (!run.IsCompleted)
        {
            await Poll.UntilAsync(() => run.IsCompleted || time.Waits.Count > advanced, Deadline, "the next retry wait");
            if (time.Waits.Count > advanced)
            {
                time.Advance(time.Waits[advanced++]);
            }
        }

        return await run;
    }

    /// <summary>A fake clock that records every wait started on it.</summary>
    private sealed class RecordingTime() : FakeTimeProvider(Began)
    {
        private readonly ConcurrentQueue<TimeSpan> _waits = new();

        public IReadOnlyList<TimeSpan> Waits => [.. _waits];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _waits.Enqueue(dueTime);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    /// <summary>Answers attempt n with the n-th scripted status (the last one repeats) and records when it was called.</summary>
    private sealed class Receiver(TimeProvider time, (int? Status, TimeSpan? RetryAfter)[] answers)
    {
        private readonly ConcurrentQueue<DateTimeOffset> _calls = new();

        public IReadOnlyList<DateTimeOffset> Calls => [.. _calls];

        public ValueTask<AttemptOutcome> AttemptAsync()
        {
            var attempt = _calls.Count + 1;
            var at = time.GetUtcNow();
            _calls.Enqueue(at);
            var (status, retryAfter) = answers[Math.Min(attempt, answers.Length) - 1];
            var record = new DeliveryAttempt { Seq = 1, Attempt = attempt, At = at, StatusCode = status, Error = status is >= 200 and < 300 ? null : "failed" };
            return ValueTask.FromResult(new AttemptOutcome(record, retryAfter));
        }
    }
}
