using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Routing.Api;

/// <summary>
/// A lowest level for a log category that configuration cannot lower, for categories whose detailed records would
/// carry what must never be logged (tokens in query strings, customers' words in hub arguments).
/// </summary>
public static class LogFloor
{
    /// <summary>
    /// Keeps <paramref name="category"/> at <paramref name="minimum"/> or above. The rules are added after the
    /// configuration's, and once more for every provider the configuration names: a rule for one provider
    /// (<c>Logging:Console:LogLevel:…</c>) would otherwise win over a rule for all.
    /// </summary>
    public static IServiceCollection AddLogFloor(this IServiceCollection services, string category, LogLevel minimum) =>
        services.PostConfigure<LoggerFilterOptions>(options =>
        {
            foreach (var provider in options.Rules.Select(r => r.ProviderName).Append(null).Distinct().ToList())
            {
                options.Rules.Add(new LoggerFilterRule(provider, category, minimum, null));
            }
        });
}
