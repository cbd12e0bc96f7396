namespace Eventd.Grains.Interfaces;

/// <summary>
/// The next fire of an event of an ordering key, told to the key before it is due (by the event, or by the
/// intake that created it) so that the key keeps the key's turn for it however late it arrives: due at
/// <see cref="DueAt"/>, its turn by due time then by its event's creation (<see cref="CreatedAt"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.ExpectedFire")]
public sealed record ExpectedFire(
    [property: Id(0)] string EventId,
    [property: Id(1)] DateTimeOffset DueAt,
    [property: Id(2)] DateTimeOffset CreatedAt);
