namespace Eventd.Grains.Interfaces;

/// <summary>
/// A fire waiting at a flow-control or ordering key: its delivery grain (<see cref="Holder"/>), and where it
/// stands in the key's line, by due time then by its event's creation. A fire that <see cref="Polls"/> asks
/// again until it may start (a synchronous attempt, whose caller waits on it) and is never told. An ordering
/// key knows the fire's event by <see cref="EventId"/> (see <see cref="ExpectedFire"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.KeyedFire")]
public sealed record KeyedFire(
    [property: Id(0)] string Holder,
    [property: Id(1)] DateTimeOffset DueAt,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] bool Polls = false,
    [property: Id(4)] string? EventId = null);
