using System.Text.Json;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.Endpoints;

/// <summary>The <c>catchup</c> and <c>overlap</c> values as API.md spells them, both ways.</summary>
public static class SchedulePolicyNames
{
    public static CatchupPolicy? Catchup(JsonElement value) => Text(value) switch
    {
        "skip" => CatchupPolicy.Skip,
        "one" => CatchupPolicy.One,
        "all" => CatchupPolicy.All,
        _ => null,
    };

    public static OverlapPolicy? Overlap(JsonElement value) => Text(value) switch
    {
        "allow" => OverlapPolicy.Allow,
        "skip" => OverlapPolicy.Skip,
        "bufferOne" => OverlapPolicy.BufferOne,
        _ => null,
    };

    public static string Of(CatchupPolicy policy) => policy switch
    {
        CatchupPolicy.Skip => "skip",
        CatchupPolicy.All => "all",
        _ => "one",
    };

    public static string Of(OverlapPolicy policy) => policy switch
    {
        OverlapPolicy.Skip => "skip",
        OverlapPolicy.BufferOne => "bufferOne",
        _ => "allow",
    };

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
