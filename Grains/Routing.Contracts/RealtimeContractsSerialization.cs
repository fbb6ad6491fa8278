using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;
using Routing.Contracts.Realtime;

namespace Routing.Contracts;

/// <summary>
/// How Orleans carries the realtime contracts between grains and silos (docs/realtime.md, "Clients and their packages").
/// Those records live in a plain assembly, without Orleans, so that the client package does not bring the actor framework
/// along; Orleans' own serializer only serializes what its attributes mark. So a silo or client sends them as JSON
/// (System.Text.Json, through Orleans' JSON codec) — between silos only: within one, nothing is copied, as every one of
/// them is an immutable record, passed as it is (as the <c>[Immutable]</c> attribute did when they carried it).
/// </summary>
public static class RealtimeContractsSerialization
{
    private static readonly System.Reflection.Assembly Contracts = typeof(IAgentHub).Assembly;

    /// <summary>A type of the realtime contracts' assembly; its enums go by Orleans' own enum codec (as numbers).</summary>
    public static bool IsContract(Type type) => type.Assembly == Contracts && !type.IsEnum;

    /// <summary>Registers the JSON codec for the realtime contracts and their copier that copies nothing.</summary>
    public static IServiceCollection AddRealtimeContractsSerialization(this IServiceCollection services)
    {
        services.AddSerializer(serializer => serializer.AddJsonSerializer(isSerializable: IsContract, isCopyable: null));
        services.AddSingleton<IGeneralizedCopier, ContractCopier>();
        return services;
    }

    /// <summary>The contracts are immutable records: a copy is the record itself.</summary>
    private sealed class ContractCopier : IGeneralizedCopier, IOptionalDeepCopier
    {
        public bool IsSupportedType(Type type) => IsContract(type);

        public bool IsShallowCopyable() => true;

        [return: NotNullIfNotNull(nameof(input))]
        public object? DeepCopy(object? input, CopyContext context) => input;
    }
}
