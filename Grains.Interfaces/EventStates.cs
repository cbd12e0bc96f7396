namespace Eventd.Grains.Interfaces;

/// <summary>
/// The states of an event and of its transactions, and how the event's follows from its transactions':
/// <c>created</c> with none, <c>processing</c> while any is, <c>failed</c> once none is and one failed,
/// <c>completed</c> when all finished.
/// </summary>
public static class EventStates
{
    public const string Created = "created";
    public const string Processing = "processing";
    public const string Finished = "finished";
    public const string Failed = "failed";
    public const string Completed = "completed";

    /// <summary>The <c>txState</c> of a query that keeps events with no transaction for the <c>txKey</c>.</summary>
    public const string DoesNotExist = "does-not-exist";

    /// <summary>The states a transaction can be in.</summary>
    public static readonly IReadOnlyList<string> TransactionStates = [Processing, Finished, Failed];

    public static bool HasEnded(string transactionState) => transactionState is Finished or Failed;

    public static string Of(IReadOnlyCollection<string> transactionStates) =>
        transactionStates.Count == 0 ? Created
        : transactionStates.Contains(Processing) ? Processing
        : transactionStates.Contains(Failed) ? Failed
        : Completed;
}
