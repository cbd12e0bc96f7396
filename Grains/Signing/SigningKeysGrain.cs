using Eventd.Grains.Interfaces;
using Orleans.Concurrency;

namespace Eventd.Grains.Signing;

/// <summary>Answers from the silo's own configuration, on any silo: a stateless worker, no state, no storage.</summary>
[StatelessWorker]
public sealed class SigningKeysGrain(ConfiguredSigning configured) : Grain, ISigningKeysGrain
{
    public Task<IReadOnlyList<string>> PublicKeys() => Task.FromResult(configured.PublicKeys);
}
