using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Prometheus;
using Routing.Api;
using Routing.Api.Auth;
using Routing.Contracts;
using Routing.Contracts.Access;
using Routing.Grains;

namespace Routing.Silo.Observability;

public static class ObservabilityExtensions
{
    /// <summary>
    /// The domain metrics (a routing-event sink), the readiness check and the Orleans dashboard. ASP.NET Core's
    /// request-start and request-finish lines are kept out of the logs whatever the configured level: they carry the
    /// query string, and a hub's query carries the customer's token (the HTTP metrics and traces cover requests).
    /// </summary>
    public static WebApplicationBuilder AddRoutingObservability(this WebApplicationBuilder builder)
    {
        // Before the default registry starts its meter adapter: of the other libraries' meters, only instruments read
        // at scrape time (observable gauges and counters: activations, the runtime's heap and CPU) are exported. The
        // ones recorded per event — Orleans' per-message histograms, ASP.NET Core's per-request ones, which our own
        // HTTP metrics already cover — cost a dictionary look-up and a lock on every message and request (the exporter and
        // the meters' listeners held a tenth or more of the server's samples in an end-to-end profile, docs/performance.md).
        Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = ExportedInstrument);
        builder.Services.AddLogFloor("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Services.AddSingleton<IRoutingEventSink>(sp => new RoutingMetrics(
            Metrics.DefaultRegistry,
            sp.GetRequiredService<IOptions<RoutingOptions>>().Value.Channels.Keys
        ));
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("silo-and-ledger", tags: ["ready"]);
        // The dashboard's grain-call profiler and meters would run on every grain call whether served or not: added only
        // where it is served.
        if (DashboardServed(builder.Environment, builder.Configuration))
        {
            builder.UseOrleans(silo => silo.AddDashboard());
        }
        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> (the domain metrics, HTTP, .NET runtime and every .NET meter — Orleans' included — in the
    /// Prometheus text format), <c>/health/live</c>, <c>/health/ready</c> and the Orleans dashboard at <c>/orleans</c>.
    /// </summary>
    public static WebApplication MapRoutingObservability(this WebApplication app)
    {
        app.UseHttpMetrics();
        ExportAdmission(app.Services.GetRequiredService<AdmissionGate>());
        app.MapMetrics("/metrics").AllowAnonymous(); // for the scraper: keep the port on the operators' network
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        // The dashboard shows every workspace's grains and log lines: it is served in Development (to anyone: a
        // developer's own machine), or where an operator turns it on — then to admins only, whatever the port.
        if (DashboardServed(app.Environment, app.Configuration))
        {
            var dashboard = app.MapOrleansDashboard("/orleans").ExcludeFromDescription();
            if (app.Environment.IsDevelopment())
            {
                dashboard.AllowAnonymous();
            }
            else
            {
                dashboard.Allow(StaffRoles.Admin);
            }
        }
        return app;
    }

    private static bool ExportedInstrument(System.Diagnostics.Metrics.Instrument instrument) =>
        instrument.IsObservable || instrument.Meter.Name.StartsWith("Routing", StringComparison.Ordinal);

    private static bool DashboardServed(IHostEnvironment environment, IConfiguration configuration) =>
        environment.IsDevelopment() || configuration.GetValue<bool>("Routing:OrleansDashboard");

    /// <summary>The silo's door for new conversations, read when scraped: creates in progress and creates refused.</summary>
    private static void ExportAdmission(AdmissionGate door)
    {
        var refused = Metrics.CreateCounter(
            "routing_admission_refused_total",
            "Conversation creates this silo refused at its door (503 overloaded)."
        );
        var inFlight = Metrics.CreateGauge("routing_admission_in_flight", "Conversation creates in progress through this silo.");
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            refused.IncTo(door.Refused);
            inFlight.Set(door.InFlight);
        });
    }
}
