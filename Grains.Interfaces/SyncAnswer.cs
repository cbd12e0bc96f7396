namespace Eventd.Grains.Interfaces;

/// <summary>
/// What a receiver answered to one synchronous attempt: its status, content type and body, or, when
/// no HTTP answer came (refused, timed out, blocked address, body too large), why not.
/// </summary>
[GenerateSerializer, Alias("Eventd.SyncAnswer")]
public sealed record SyncAnswer
{
    [Id(0)] public int? StatusCode { get; init; }
    [Id(1)] public string? ContentType { get; init; }
    [Id(2)] public byte[] Body { get; init; } = [];
    [Id(3)] public string? Error { get; init; }
}
