namespace Routing.Silo;

/// <summary>
/// <c>dotnet run</c> starts the server in Development, yet anyone who names an environment gets that one. A launch
/// profile that set <c>ASPNETCORE_ENVIRONMENT</c> would override the variable given on the command line
/// (<c>ASPNETCORE_ENVIRONMENT=Production dotnet run</c> would still run Development, password-less sign-in and all),
/// so the profile sets <see cref="Variable"/> instead, and it counts only when neither <c>ASPNETCORE_ENVIRONMENT</c>
/// nor <c>DOTNET_ENVIRONMENT</c> nor <c>--environment</c> names one. A process started any other way, without a
/// choice, is Production as usual.
/// </summary>
internal static class LaunchEnvironment
{
    /// <summary>The environment a launch profile proposes for a run that names none.</summary>
    public const string Variable = "ROUTING_LAUNCH_ENVIRONMENT";

    public static WebApplicationOptions Options(string[] args) =>
        new()
        {
            Args = args,
            EnvironmentName =
                string.IsNullOrEmpty(Chosen(args)) && Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } proposed
                    ? proposed
                    : null,
        };

    /// <summary>
    /// The environment the caller named, if any: in <c>DOTNET_ENVIRONMENT</c>, <c>ASPNETCORE_ENVIRONMENT</c> or
    /// <c>--environment</c> (which of them wins when several do is the host's business).
    /// </summary>
    public static string? Chosen(string[] args) =>
        new ConfigurationBuilder().AddEnvironmentVariables("DOTNET_").AddEnvironmentVariables("ASPNETCORE_").AddCommandLine(args).Build()[
            HostDefaults.EnvironmentKey
        ];
}
