using Eventd.Grains.Interfaces;
using Eventd.Grains.Signing;
using Microsoft.Extensions.DependencyInjection;

namespace Eventd.Tests.Unit;

/// <summary>
/// The webhook sender outside a silo has no project secrets grain to ask: every project signs with the
/// configured secrets, as one that never rotated does.
/// </summary>
internal static class SigningWithoutGrains
{
    public static IServiceCollection AddSigningWithoutGrains(this IServiceCollection services) =>
        services.AddSingleton(provider => new ProjectSigningCache(
            provider.GetRequiredService<ConfiguredSigning>(), _ => Task.FromResult(ProjectSigning.Configured), TimeProvider.System));
}
