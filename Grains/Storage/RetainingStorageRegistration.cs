using Eventd.Grains.Interfaces.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using StackExchange.Redis;

namespace Eventd.Grains.Storage;

public static class RetainingStorageRegistration
{
    /// <summary>Registers <see cref="RetainingRedisGrainStorage"/> as the grain storage <paramref name="name"/>.</summary>
    public static IServiceCollection AddRetainingRedisGrainStorage(
        this IServiceCollection services, string name, Func<IConnectionMultiplexer> connection, IGrainStorageSerializer serializer) =>
        services.AddGrainStorage(name, (provider, _) => new RetainingRedisGrainStorage(
            connection,
            serializer,
            provider.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            provider.GetRequiredService<IOptions<RetentionOptions>>().Value));
}
