using System.Reflection;

namespace Routing.Api.OpenApi;

/// <summary>
/// The version of the server (Directory.Build.props' <c>Version</c>, the same for the client packages), without the commit
/// the build appends: what the OpenAPI document's <c>info.version</c> says (docs/realtime.md, "Versions and what they promise").
/// </summary>
public static class RoutingVersion
{
    public static string Current { get; } =
        typeof(RoutingVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
