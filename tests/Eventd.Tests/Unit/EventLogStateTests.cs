using Eventd.Grains.EventLog;
using Eventd.Grains.Interfaces;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>How an event's state, history and version follow from its transactions.</summary>
public class EventLogStateTests
{
    private const long CreatedAt = 1_800_000_000_000;

    private static readonly LoggedEvent Event = new(
        "0123456789abcdef01234567",
        "0123456789abcdef0123456789abcdef",
        "signup",
        "production",
        "{}",
        new Dictionary<string, string>(),
        new Dictionary<string, string>(),
        CreatedAt,
        CreatedAt + 1000,
        new Ownership("acme", "emitter", null));

    private static LoggedTransaction Opened(string txKey, string state = EventStates.Processing, long at = CreatedAt + 10, string by = "worker") =>
        TransactionChanges.Open(Event, txKey, state, at, by);

    [Theory]
    [InlineData("", "created")]
    [InlineData("processing", "processing")]
    [InlineData("processing,finished", "processing")]
    [InlineData("processing,failed", "processing")]
    [InlineData("finished,failed", "failed")]
    [InlineData("failed", "failed")]
    [InlineData("finished,finished", "completed")]
    public void The_event_state_follows_from_its_transactions(string transactionStates, string eventState) =>
        Assert.Equal(eventState, EventStates.Of(transactionStates.Split(',', StringSplitOptions.RemoveEmptyEntries)));

    [Fact]
    public void A_new_event_is_created_by_its_emitter_at_version_1()
    {
        var progress = EventProgress.Of(Event, []);

        Assert.Equal(EventStates.Created, progress.State);
        Assert.Equal([new HistoryEntry("created", null, CreatedAt, "emitter")], progress.History);
        Assert.Equal(1, progress.Version);
    }

    [Fact]
    public void Each_change_of_the_event_state_is_in_its_history_with_the_state_it_left()
    {
        var mailer = Opened("mailer", at: CreatedAt + 10).MoveTo(EventStates.Finished, CreatedAt + 30, "mail-worker");
        var billing = Opened("billing", at: CreatedAt + 20).MoveTo(EventStates.Failed, CreatedAt + 40, "bill-worker");

        var progress = EventProgress.Of(Event, [mailer, billing]);

        Assert.Equal(EventStates.Failed, progress.State);
        Assert.Equal(
            [
                new HistoryEntry("created", null, CreatedAt, "emitter"),
                new HistoryEntry("processing", "created", CreatedAt + 10, "worker"),
                new HistoryEntry("failed", "processing", CreatedAt + 40, "bill-worker"),
            ],
            progress.History);
        Assert.Equal(5, progress.Version);
    }

    [Fact]
    public void An_event_whose_transactions_all_finished_is_completed_and_reopening_one_makes_it_processing_again()
    {
        var mailer = Opened("mailer").MoveTo(EventStates.Finished, CreatedAt + 20, "w").MoveTo(EventStates.Processing, CreatedAt + 30, "w");

        var history = EventProgress.Of(Event, [mailer]).History.Select(h => (h.ExitState, h.EnterState));

        Assert.Equal([(null, "created"), ("created", "processing"), ("processing", "completed"), ("completed", "processing")], history);
    }

    [Fact]
    public void Consumers_that_open_and_close_within_one_millisecond_read_as_opened_together_then_closed_together()
    {
        var at = CreatedAt + 10;
        var mailer = Opened("mailer", at: at).MoveTo(EventStates.Finished, at, "w");
        var billing = Opened("billing", at: at).MoveTo(EventStates.Finished, at, "w");

        Assert.Equal(["created", "processing", "completed"], EventProgress.Of(Event, [mailer, billing]).History.Select(h => h.EnterState));
    }

    [Fact]
    public void A_transaction_whose_clock_ran_backwards_is_still_replayed_in_its_own_order()
    {
        // Closed through a gateway whose clock is behind the one that opened it.
        var mailer = Opened("mailer", at: CreatedAt + 50).MoveTo(EventStates.Finished, CreatedAt + 40, "w");

        Assert.Equal(EventStates.Completed, EventProgress.Of(Event, [mailer]).State);
    }

    [Fact]
    public void Processing_is_completed_only_when_every_transaction_has_ended()
    {
        Assert.Equal(new ProcessingSummary(false, 0, false, false), EventProgress.Summary([]));
        Assert.Equal(new ProcessingSummary(true, 2, false, false), EventProgress.Summary(["finished", "processing"]));
        Assert.Equal(new ProcessingSummary(true, 2, false, true), EventProgress.Summary(["finished", "failed"]));
    }

    [Fact]
    public void A_transaction_ends_when_finished_or_failed_and_is_open_again_when_processing()
    {
        var opened = Opened("mailer", at: CreatedAt + 10);
        var closed = opened.MoveTo(EventStates.Failed, CreatedAt + 20, "w2");
        var reopened = closed.MoveTo(EventStates.Processing, CreatedAt + 30, "w3");

        Assert.Equal((EventStates.Processing, (long?)null, CreatedAt + 10), (opened.State, opened.EndedAt, opened.StartedAt));
        Assert.Equal((EventStates.Failed, (long?)(CreatedAt + 20)), (closed.State, closed.EndedAt));
        Assert.Null(reopened.EndedAt);
        Assert.Equal(new HistoryEntry("failed", "processing", CreatedAt + 20, "w2"), closed.History[1]);
        Assert.Equal((Event.Ttl, Event.Id, Event.EventName), (opened.Ttl, opened.EventId, opened.EventName));
    }

    [Fact]
    public void A_transaction_opened_as_finished_started_and_ended_at_once()
    {
        var finished = Opened("mailer", EventStates.Finished, CreatedAt + 10);

        Assert.Equal((CreatedAt + 10, (long?)(CreatedAt + 10)), (finished.StartedAt, finished.EndedAt));
        Assert.Equal([new HistoryEntry("finished", null, CreatedAt + 10, "worker")], finished.History);
    }
}
