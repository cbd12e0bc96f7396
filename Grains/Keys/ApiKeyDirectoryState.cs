using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Keys;

/// <summary>The persisted state of the key directory (JSON in Redis): every name and the key it maps to.</summary>
public sealed class ApiKeyDirectoryState
{
    /// <summary>The grain state's name in storage (part of its Redis key).</summary>
    public const string Name = "apikeys";

    /// <summary>By name (ordinal: names are ASCII and compared as such).</summary>
    public Dictionary<string, ApiKeyEntry> Keys { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One name's key: the hash naming its <see cref="IApiKeyGrain"/> and what the list shows.</summary>
public sealed class ApiKeyEntry
{
    public required string Hash { get; set; }
    public required string Project { get; set; }
    public required string Environment { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// True from the name's reservation until its key grain answers that the key is issued. A reserved
    /// entry seen at the start of a turn belongs to a create that failed or died between the two writes.
    /// </summary>
    public bool Reserved { get; set; }

    public static ApiKeyEntry Reserve(NewApiKey key, DateTimeOffset now) => new()
    {
        Hash = key.SecretHash,
        Project = key.Project,
        Environment = key.Environment,
        CreatedAt = now,
        Reserved = true,
    };

    public ApiKey ToApiKey(string name) => new(name, Project, Environment, CreatedAt);
}
