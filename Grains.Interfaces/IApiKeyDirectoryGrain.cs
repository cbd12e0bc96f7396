namespace Eventd.Grains.Interfaces;

/// <summary>
/// The names of a service's project keys, each mapped to its key's <see cref="IApiKeyGrain"/>: it makes
/// names unique and lists them. There is one, at <see cref="Key"/>.
/// </summary>
[Alias("Eventd.IApiKeyDirectoryGrain")]
public interface IApiKeyDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The directory's grain key.</summary>
    const long Key = 0;

    /// <summary>Creates the key under its name; false when that name is in use.</summary>
    [Alias("Create")]
    Task<bool> Create(NewApiKey key);

    /// <summary>Every key, by name (ordinal order).</summary>
    [Alias("List")]
    Task<IReadOnlyList<ApiKey>> List();

    /// <summary>Revokes the key named <paramref name="name"/> and frees the name; false when there is none.</summary>
    [Alias("Revoke")]
    Task<bool> Revoke(string name);
}
