namespace Eventd.Grains.Interfaces;

/// <summary>
/// The limits a webhook's attempts share with every other naming <see cref="Key"/> in its project
/// (API.md "Flow control"): at most <see cref="Rate"/> starts in any <see cref="Period"/> seconds and
/// at most <see cref="Parallelism"/> in flight. At least one of the two is given.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.FlowControl")]
public sealed record FlowControl
{
    [Id(0)] public required string Key { get; init; }
    [Id(1)] public int? Rate { get; init; }

    /// <summary>The window of <see cref="Rate"/>, in seconds.</summary>
    [Id(2)] public int Period { get; init; } = 1;
    [Id(3)] public int? Parallelism { get; init; }

    /// <summary>The key of a project's flow-control grain, and of its ordering grain: <c>{project}/{key}</c> (a project name holds no '/').</summary>
    public static string GrainKey(string project, string key) => $"{project}/{key}";
}
